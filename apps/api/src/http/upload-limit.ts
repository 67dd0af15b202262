import type { NextFunction, Request, Response } from 'express';
import { sendError } from './error.filter';

/**
 * Refuses an upload larger than maxBytes before reading any of it, from its Content-Length. An
 * upload without one (chunked) is refused with 411: browsers and HTTP clients send the length of
 * a form, and a known length is what lets a 200 MB upload be turned away at once, the connection
 * closed and nothing buffered. (Multer's own limit stays as a second line, but it can leave a
 * request hanging once it cuts the file stream.) A form in a Content-Encoding is refused with 415:
 * nothing would decode it.
 */
export function uploadLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' && req.method !== 'PUT') return next();
    // Multer reads a form's bytes as they come: a compressed one would be read as garbage. (A JSON
    // body on these paths, such as an import's options to analyse again, was decoded by then.)
    const encoding = String(req.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    if (encoding !== 'identity' && req.is('multipart/form-data')) {
      res.setHeader('Connection', 'close');
      return sendError(req, res, 415, 'ENCODING_UNSUPPORTED', { encoding: encoding.slice(0, 40) });
    }
    const declared = Number(req.headers['content-length']);
    if (!Number.isFinite(declared)) {
      res.setHeader('Connection', 'close');
      return sendError(req, res, 411, 'LENGTH_REQUIRED');
    }
    if (declared > maxBytes) {
      res.setHeader('Connection', 'close');
      return sendError(req, res, 413, 'PAYLOAD_TOO_LARGE', { maxMb: Math.floor(maxBytes / 1024 / 1024) });
    }
    next();
  };
}
