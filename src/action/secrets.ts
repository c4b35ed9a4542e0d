/**
 * Masking comes first. The runner hides a value in logs only once it has been registered
 * (`::add-mask::`), so every secret form is registered before any input is validated: an error
 * about a malformed connection URL, or anything printed later, cannot then reveal it.
 *
 * Because this runs before validation, it reads the secret inputs leniently: a URL too broken
 * for the URL parser still has its user and password cut out and masked.
 */
import { secretFormsOf } from '../smtp/index.js';
import { Inputs, PROXY_ENV } from './constants.js';
import type { InputReader } from './input-reader.js';

/** Registers one secret with the runner; `core.setSecret` in the action. */
export type MaskSecret = (secret: string) => void;

interface UserInfo {
  username: string;
  password: string;
}

/**
 * Every form in which the secret inputs can reach a log: the password; the connection URL raw
 * and decoded, its user and password raw and decoded; the proxy user and password and the
 * Basic credentials they become; and each base64 form AUTH sends (`secretFormsOf`).
 */
export function collectSecrets(reader: InputReader): string[] {
  const connectionUrl = reader.text(Inputs.connectionUrl);
  const usernames = [reader.text(Inputs.username)];
  const passwords = [reader.text(Inputs.password)];
  const secrets = [...passwords, connectionUrl, decodeLeniently(connectionUrl)];
  for (const { username, password } of userInfoCandidates(connectionUrl)) {
    // The user name counts as a secret only inside the URL: the `username` input is often the
    // From address, and masking it would blank that out of every log line and summary.
    const decoded = { username: decodeLeniently(username), password: decodeLeniently(password) };
    secrets.push(username, password, decoded.username, decoded.password);
    usernames.push(decoded.username);
    passwords.push(decoded.password);
  }
  // Pairings that will not be used together still cost nothing to mask.
  for (const username of new Set(usernames)) {
    for (const password of new Set(passwords)) {
      secrets.push(...secretFormsOf({ username, password }));
    }
  }
  secrets.push(...urlHostForms(connectionUrl));
  secrets.push(...proxySecrets(reader.textOrVariable(Inputs.proxy, PROXY_ENV)));
  return [...new Set(secrets)].filter((secret) => secret !== '');
}

/**
 * The host a connection URL seems to name, as written and percent-decoded, each also in lower
 * case (servers and resolvers change the case): the issue has every part of the URL masked, and
 * the host of a private relay says where the mail goes. Both readings of `userInfoCandidates`,
 * so a URL too broken to parse still has its host masked before the error that refuses it.
 */
function urlHostForms(raw: string): string[] {
  if (raw === '') return [];
  const rest = afterScheme(raw);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const afterLastAt = rest.slice(rest.lastIndexOf('@') + 1).split(/[/?#]/, 1)[0] ?? '';
  return [authority.slice(authority.lastIndexOf('@') + 1), afterLastAt].flatMap((hostPort) => {
    const bracketed = /^\[([^\]]*)\]/.exec(hostPort)?.[1];
    const host = bracketed ?? hostPort.replace(/:[0-9]*$/, '');
    return [host, decodeLeniently(host)].flatMap((form) => [form, form.toLowerCase()]);
  });
}

/**
 * Addresses in the `bcc` input, as written and in lower case, read leniently (anything shaped
 * `local@domain`) because this runs before validation: a Bcc address must not be readable in
 * an error about the list, nor in a transcript, a refusal or a retry line later. Logs of a
 * public repository are public; Bcc recipients are the ones the other recipients must not see.
 */
export function collectBccAddresses(reader: InputReader): string[] {
  const found = reader.text(Inputs.bcc).match(/[^\s<>,;:"()[\]\\]+@[^\s<>,;:"()[\]\\]+/g) ?? [];
  return [...new Set(found.flatMap((address) => [address, address.toLowerCase()]))];
}

/**
 * The proxy's user and password, raw and decoded, and the `Proxy-Authorization: Basic` value.
 * The user counts as a secret here: many proxies take a token as the user and no password, and
 * unlike the `username` input it is never an address shown elsewhere.
 */
function proxySecrets(proxy: string): string[] {
  return userInfoCandidates(proxy).flatMap(({ username, password }) => {
    const user = decodeLeniently(username);
    const decoded = decodeLeniently(password);
    const basic = Buffer.from(`${user}:${decoded}`, 'utf8').toString('base64');
    return [username, user, password, decoded, basic];
  });
}

/** `mask` that registers each value only once, however many times it is called with it. */
export function maskingOnce(mask: MaskSecret): MaskSecret {
  const registered = new Set<string>();
  return (secret) => {
    if (registered.has(secret)) return;
    registered.add(secret);
    mask(secret);
  };
}

/** Registers each secret once, and never an empty string. */
export function maskSecrets(secrets: Iterable<string>, mask: MaskSecret): void {
  const seen = new Set<string>();
  for (const secret of secrets) {
    // The runner matches a mask within one log line: a multi-line value is masked line by line
    // as well as whole.
    for (const form of [secret, ...secret.split(/\r\n|\r|\n/)]) {
      const value = form.trim() === '' ? '' : form;
      if (value === '' || seen.has(value)) continue;
      seen.add(value);
      mask(value);
    }
  }
}

/**
 * The user and password a URL seems to carry, as written (still percent-encoded). Two readings,
 * both masked: the URL parser's (the authority ends at the first `/`, `?` or `#`, the user info
 * at its last `@`), and the text up to the last `@` anywhere, for a password that holds an
 * unencoded `/`, `?` or `#` and so breaks the first reading.
 */
function userInfoCandidates(raw: string): UserInfo[] {
  const rest = afterScheme(raw);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const candidates: UserInfo[] = [];
  for (const text of [authority, rest]) {
    const at = text.lastIndexOf('@');
    if (at === -1) continue;
    const userInfo = text.slice(0, at);
    const colon = userInfo.indexOf(':');
    candidates.push(
      colon === -1
        ? { username: userInfo, password: '' }
        : { username: userInfo.slice(0, colon), password: userInfo.slice(colon + 1) },
    );
  }
  return candidates;
}

/** The URL after `scheme://`, or all of it when it has no scheme. */
function afterScheme(raw: string): string {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(.*)$/s.exec(raw)?.[1] ?? raw;
}

/** Percent-decoding that never throws: each run of `%XX` becomes the UTF-8 it encodes. */
function decodeLeniently(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) =>
    Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'),
  );
}
