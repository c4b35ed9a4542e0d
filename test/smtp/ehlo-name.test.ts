import { describe, expect, it } from 'vitest';
import {
  addressLiteral,
  defaultEhloName,
  isAddressLiteral,
  isFullyQualified,
} from '../../src/smtp/ehlo-name.js';

describe('defaultEhloName (RFC 5321 4.1.1.1, 4.1.3)', () => {
  it.each([
    ['runner.example.com', '10.1.2.3', 'runner.example.com'],
    ['runner.example.com.', '10.1.2.3', 'runner.example.com'],
    ['fv-az123-456', '10.1.2.3', '[10.1.2.3]'],
    ['localhost', '::ffff:127.0.0.1', '[127.0.0.1]'],
    ['runner', '2001:db8::5', '[IPv6:2001:db8::5]'],
    ['bad_name.example', '192.0.2.7', '[192.0.2.7]'],
  ])('host %s at %s greets as %s', (host, local, expected) => {
    expect(defaultEhloName(local, host)).toBe(expected);
  });

  it('never greets with a bare host name, even without a local address', () => {
    expect(defaultEhloName(undefined, 'runner')).toBe('[127.0.0.1]');
  });

  it('recognises fully qualified names and address literals', () => {
    expect(isFullyQualified('a.b')).toBe(true);
    expect(isFullyQualified('a')).toBe(false);
    expect(isFullyQualified('-a.b')).toBe(false);
    // An IPv4 address is not a domain name: RFC 5321 4.1.3 wants it as [192.0.2.1].
    expect(isFullyQualified('192.0.2.1')).toBe(false);
    expect(isFullyQualified('host.example.123')).toBe(false);
    expect(addressLiteral('not-an-ip')).toBeUndefined();
  });

  it.each([
    ['[192.0.2.1]', true],
    ['[IPv6:2001:db8::1]', true],
    ['[300.1.1.1]', false],
    ['[2001:db8::1]', false],
    ['192.0.2.1', false],
    ['[IPv6:192.0.2.1]', false],
  ])('address literal %s: %s', (name, expected) => {
    expect(isAddressLiteral(name)).toBe(expected);
  });
});
