/** The public surface of the MIME composer; every other module in this folder is private. */

export { composeMessage } from './compose.js';
export type {
  AttachmentInput,
  ComposedMessage,
  ComposeOptions,
  InlineInput,
  MessageInput,
} from './message-input.js';
export { parseAddressList, parseMailbox, type Mailbox } from './address.js';
export { MimeInputError } from './errors.js';
export { isMessageId } from './message-headers.js';
