import type { NextFunction, Request, Response } from 'express'
import type { Logger } from 'pino'

/**
 * One log line per request, written when the response has gone out (or the connection closed
 * first), in the shape pino-http wrote it before (issue 12: pino-http made two child loggers per
 * request, serialising the request into each, for a line that needs four fields):
 *
 *   {"level":30,…,"req":{"method":"GET","url":"/wishes"},"res":{"statusCode":200},"responseTime":4,"msg":"request completed"}
 *
 * Only the method and URL of the request and the status of the response: cookies and other
 * headers stay out of the logs. A 5xx answer is logged as "request errored" with the error.
 */
export function requestLog(logger: Logger, options: { ignore?: (req: Request) => boolean } = {}) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (options.ignore?.(req)) return next()
    const start = Date.now()
    // req.url changes while Express routes (mounted paths); log what the client asked for.
    const request = { method: req.method, url: req.originalUrl }
    const done = () => {
      res.off('finish', done)
      res.off('close', done)
      const fields = { req: request, res: { statusCode: res.statusCode }, responseTime: Date.now() - start }
      if (res.statusCode >= 500) logger.info({ ...fields, err: new Error(`failed with status code ${res.statusCode}`) }, 'request errored')
      else logger.info(fields, 'request completed')
    }
    res.on('finish', done)
    res.on('close', done)
    next()
  }
}
