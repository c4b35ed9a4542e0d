import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What `test/mta/setup.sh start` writes to `.mta/settings.json` for these tests. */
export interface MtaSettings {
  host: string;
  ports: {
    /** STARTTLS required before AUTH (`smtpd_tls_security_level=encrypt`). */
    submission: number;
    /** Implicit TLS (RFC 8314). */
    smtps: number;
    /** No TLS and no AUTH offered; delivers to the test domain only. */
    plain: number;
  };
  user: string;
  password: string;
  /** PEM of the test CA that signed the server certificate. */
  ca: string;
  /** Folder holding one Maildir per mailbox: `inbox/`, `other/`. */
  maildir: string;
  messageSizeLimit: number;
}

export const settingsPath = fileURLToPath(new URL('../../.mta/settings.json', import.meta.url));

/**
 * The running MTA's settings, or undefined when none was started on a developer's machine. In
 * CI a missing MTA is a broken setup, not a reason to skip: throwing here fails every file.
 */
function loadSettings(): MtaSettings | undefined {
  if (!existsSync(settingsPath)) {
    if (process.env.CI !== undefined && process.env.CI !== '') {
      throw new Error(
        `${settingsPath} is missing: CI must run 'bash test/mta/setup.sh install' and 'start' first`,
      );
    }
    console.warn(
      `Skipping the MTA tests: ${settingsPath} is missing. Run (as root) ` +
        `'bash test/mta/setup.sh install && bash test/mta/setup.sh start' to run them.`,
    );
    return undefined;
  }
  return JSON.parse(readFileSync(settingsPath, 'utf8')) as MtaSettings;
}

export const mta = loadSettings();

/** Settings inside a suite that is skipped when `mta` is undefined. */
export function requireMta(): MtaSettings {
  if (mta === undefined) throw new Error('MTA settings requested outside a skipped suite');
  return mta;
}
