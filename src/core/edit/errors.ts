// Bad editing input (wrong mask size, empty mask, times outside [eps, T]): one error type with a code, so
// the page can show the message next to the right control and the CLI can exit with a usage error.
export type EditErrorCode = 'bad-times' | 'bad-mask' | 'empty-mask' | 'bad-input';

export class EditError extends Error {
  override name = 'EditError';
  constructor(readonly code: EditErrorCode, message: string) {
    super(message);
  }
}
