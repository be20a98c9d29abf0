import type * as http from "node:http";

/** Where an endpoint reports what it could not answer properly (a bug, not the caller's mistake). */
export type InternalErrorSink = (where: string, error: unknown) => void;

/** Writes to stderr: the default when the sandbox gives no log. */
export const stderrSink: InternalErrorSink = (where, error) => {
  process.stderr.write(`[sandbox ${where}] ${(error as Error)?.stack ?? String(error)}\n`);
};

/**
 * The last-resort handler of every request: whatever `handle` throws or rejects with is logged and
 * answered by `answer` (the protocol's 500) if nothing was sent yet, else the connection is closed. No
 * request can take the process down, and errors on the request or response streams (a client that
 * disconnects mid-body) are handled.
 */
export function guardedListener(
  where: string,
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  answer: (req: http.IncomingMessage, res: http.ServerResponse) => void,
  sink: InternalErrorSink,
): http.RequestListener {
  return (req, res) => {
    req.on("error", () => res.destroy());
    res.on("error", () => req.destroy());
    let run: Promise<void>;
    try {
      run = handle(req, res);
    } catch (error) {
      run = Promise.reject(error);
    }
    run.catch((error: unknown) => {
      if (error instanceof ClientGoneError) {
        res.destroy();
        return;
      }
      sink(where, error);
      try {
        if (!res.headersSent && !res.destroyed) answer(req, res);
        else res.destroy();
      } catch (secondError) {
        sink(where, secondError);
        res.destroy();
      }
    });
  };
}

/** Client errors Node detects itself (bad request line, headers over the limit...): 400/431, then close. */
export function answerClientErrors(server: http.Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? "431 Request Header Fields Too Large" : "400 Bad Request";
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
}

/** The client closed the connection before its request was complete: nobody is left to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super("The connection closed before the request body was complete");
    this.name = "ClientGoneError";
  }
}

/** The request body is over the endpoint's cap. */
export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The request body is larger than the sandbox accepts (${limit} bytes)`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads the whole body, refusing as soon as it passes `limit` bytes (Content-Length is checked before
 * anything is read). On refusal reading stops; answer with `Connection: close`.
 */
export function readBodyCapped(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyTooLargeError(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error: Error) => {
      req.off("data", onData);
      req.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop(new BodyTooLargeError(limit));
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", (error) => reject(error));
    req.once("aborted", () => reject(new ClientGoneError()));
    req.once("close", () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}
