import { Logger } from "@aws-lambda-powertools/logger";

/** The options the Powertools Logger constructor takes. */
export type LoggerOptions = NonNullable<ConstructorParameters<typeof Logger>[0]>;

/**
 * Creates the structured JSON logger of a handler. The level comes from POWERTOOLS_LOG_LEVEL (or Lambda's
 * own log-level control) unless `options.logLevel` is given; `defaultServiceName` applies only when
 * POWERTOOLS_SERVICE_NAME is not set.
 */
export function createLogger(defaultServiceName: string, options: LoggerOptions = {}): Logger {
  const configured = process.env.POWERTOOLS_SERVICE_NAME;
  return new Logger({
    serviceName: configured !== undefined && configured !== "" ? configured : defaultServiceName,
    ...options,
  });
}
