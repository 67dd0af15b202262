/** The body of every error answer of the api. */
export interface ErrorBody {
  error: {
    /** Stable, for programs (VERSION_CONFLICT, NOT_FOUND, …). */
    code: string;
    /** For people, in the language the request asked for. */
    message: string;
    requestId: string;
    details?: unknown;
  };
}
