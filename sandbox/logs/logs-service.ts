import { AwsServiceError } from "../aws-error";
import { pageOf } from "../endpoints/paging";
import type { Authorizer } from "../iam/authorizer";
import type { Principal } from "../iam/principals";
import { compileFilterPattern } from "./filter-pattern";
import type { LogEvent, LogGroup, LogSources, LogStream } from "./log-sources";

const INVALID = "InvalidParameterException";

/** What identifies a log group in a request: logGroupName or logGroupIdentifier (a name or an ARN), exactly one. */
export interface GroupReference {
  readonly logGroupName?: string;
  readonly logGroupIdentifier?: string;
}

export interface DescribeLogGroupsRequest {
  readonly logGroupNamePrefix?: string;
  readonly logGroupNamePattern?: string;
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface DescribeLogStreamsRequest extends GroupReference {
  readonly logStreamNamePrefix?: string;
  readonly orderBy?: "LogStreamName" | "LastEventTime";
  readonly descending?: boolean;
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface GetLogEventsRequest extends GroupReference {
  readonly logStreamName: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
  readonly nextToken?: string;
  readonly startFromHead?: boolean;
}

export interface FilterLogEventsRequest extends GroupReference {
  readonly logStreamNames?: readonly string[];
  readonly logStreamNamePrefix?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly filterPattern?: string;
  readonly limit?: number;
  readonly nextToken?: string;
}

/** Limits from the API reference: DescribeLogGroups/Streams "up to 50 items", events "up to 10,000". */
const DEFAULT_DESCRIBE_LIMIT = 50;
const DEFAULT_EVENTS_LIMIT = 10_000;

/**
 * CloudWatch Logs' read API over the sandbox's logs (see LogSources), every call authorized against the
 * caller: logs:DescribeLogGroups on "*", DescribeLogStreams and FilterLogEvents on
 * the log group, GetLogEvents on the log stream (Service Authorization Reference, CloudWatch Logs).
 */
export class LogsService {
  constructor(
    private readonly sources: LogSources,
    private readonly authorizer: Authorizer,
  ) {}

  async describeLogGroups(caller: Principal, request: DescribeLogGroupsRequest) {
    // DescribeLogGroups has no resource type (Service Authorization Reference): it is authorized on "*".
    await this.authorizer.authorize({ principal: caller, action: "logs:DescribeLogGroups", resourceArn: "*" });
    if (request.logGroupNamePrefix !== undefined && request.logGroupNamePattern !== undefined) {
      throw new AwsServiceError(INVALID, "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.");
    }
    const prefix = request.logGroupNamePrefix;
    // logGroupNamePattern: "a case-insensitive substring search against the names of the log groups".
    const pattern = request.logGroupNamePattern?.toLowerCase();
    const groups = this.sources
      .groups()
      .filter((g) => (prefix === undefined || g.name.startsWith(prefix)) && (pattern === undefined || g.name.toLowerCase().includes(pattern)));
    const scope = `DescribeLogGroups ${prefix ?? ""} ${pattern ?? ""}`;
    const { items, nextToken } = pageOf(groups, { size: request.limit, defaultSize: DEFAULT_DESCRIBE_LIMIT, nextToken: request.nextToken, scope, invalidToken });
    return { logGroups: items.map(describeGroup), ...(nextToken ? { nextToken } : {}) };
  }

  async describeLogStreams(caller: Principal, request: DescribeLogStreamsRequest) {
    const group = this.group(request);
    await this.authorizer.authorize({ principal: caller, action: "logs:DescribeLogStreams", resourceArn: group.arn });
    if (request.logStreamNamePrefix !== undefined && request.orderBy === "LastEventTime") {
      throw new AwsServiceError(INVALID, "Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    const prefix = request.logStreamNamePrefix ?? "";
    const streams = group.streams().filter((s) => s.name.startsWith(prefix));
    const key = (s: LogStream) => (request.orderBy === "LastEventTime" ? (s.events.at(-1)?.timestamp ?? s.creationTime) : s.name);
    streams.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if (request.descending) streams.reverse();
    const scope = `DescribeLogStreams ${group.name} ${prefix} ${request.orderBy ?? ""} ${request.descending === true}`;
    const { items, nextToken } = pageOf(streams, { size: request.limit, defaultSize: DEFAULT_DESCRIBE_LIMIT, nextToken: request.nextToken, scope, invalidToken });
    return { logStreams: items.map((s) => describeStream(group, s)), ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * Events of one stream in time order. Without a token: the first `limit` events (startFromHead) or the
   * last. nextForwardToken "f/<n>" continues after the page, nextBackwardToken "b/<n>" before it; at the end
   * of the stream the forward token comes back unchanged, which is how callers know they have read it all.
   */
  async getLogEvents(caller: Principal, request: GetLogEventsRequest) {
    const group = this.group(request);
    const stream = group.streams().find((s) => s.name === request.logStreamName);
    await this.authorizer.authorize({ principal: caller, action: "logs:GetLogEvents", resourceArn: `${group.arn}:log-stream:${request.logStreamName}` });
    if (!stream) throw new AwsServiceError("ResourceNotFoundException", "The specified log stream does not exist.");
    const events = inRange(stream.events, request.startTime, request.endTime, false);
    const limit = request.limit ?? DEFAULT_EVENTS_LIMIT;
    let start: number;
    let end: number;
    if (request.nextToken !== undefined) {
      const match = /^([fb])\/(\d{1,15})$/.exec(request.nextToken);
      if (!match) throw invalidToken(request.nextToken);
      const position = Math.min(Number(match[2]), events.length);
      [start, end] = match[1] === "f" ? [position, Math.min(position + limit, events.length)] : [Math.max(0, position - limit), position];
    } else if (request.startFromHead) {
      [start, end] = [0, Math.min(limit, events.length)];
    } else {
      [start, end] = [Math.max(0, events.length - limit), events.length];
    }
    return {
      events: events.slice(start, end).map(({ timestamp, message, ingestionTime }) => ({ timestamp, message, ingestionTime })),
      nextForwardToken: `f/${end}`,
      nextBackwardToken: `b/${start}`,
    };
  }

  /** Events of the group's streams that match the pattern, interleaved in time order (as AWS always does now). */
  async filterLogEvents(caller: Principal, request: FilterLogEventsRequest) {
    const group = this.group(request);
    await this.authorizer.authorize({ principal: caller, action: "logs:FilterLogEvents", resourceArn: group.arn });
    if (request.logStreamNames !== undefined && request.logStreamNamePrefix !== undefined) {
      throw new AwsServiceError(INVALID, "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
    }
    const matches = compileFilterPattern(request.filterPattern);
    const streams = group
      .streams()
      .filter((s) => (request.logStreamNames ? request.logStreamNames.includes(s.name) : s.name.startsWith(request.logStreamNamePrefix ?? "")));
    const found: { logStreamName: string; timestamp: number; message: string; ingestionTime: number; eventId: string }[] = [];
    streams.forEach((stream, streamIndex) => {
      stream.events.forEach((event, eventIndex) => {
        if (!inRange([event], request.startTime, request.endTime, true).length || !matches(event.message)) return;
        const eventId = `${String(event.timestamp).padStart(15, "0")}${String(streamIndex).padStart(6, "0")}${String(eventIndex).padStart(9, "0")}`;
        found.push({ logStreamName: stream.name, timestamp: event.timestamp, message: event.message, ingestionTime: event.ingestionTime, eventId });
      });
    });
    found.sort((a, b) => (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0));
    const scope = `FilterLogEvents ${group.name} ${JSON.stringify([request.logStreamNames, request.logStreamNamePrefix, request.startTime, request.endTime, request.filterPattern])}`;
    const { items, nextToken } = pageOf(found, { size: request.limit, defaultSize: DEFAULT_EVENTS_LIMIT, nextToken: request.nextToken, scope, invalidToken });
    return {
      events: items,
      searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private group(reference: GroupReference): LogGroup {
    const { logGroupName, logGroupIdentifier } = reference;
    if ((logGroupName === undefined) === (logGroupIdentifier === undefined)) {
      throw new AwsServiceError(INVALID, "You must specify exactly one of logGroupName or logGroupIdentifier.");
    }
    // An identifier is a name or an ARN, with or without the trailing ":*".
    const wanted = logGroupName ?? logGroupIdentifier?.replace(/:\*$/, "");
    const group = this.sources.groups().find((g) => g.name === wanted || g.arn === wanted);
    if (!group) throw new AwsServiceError("ResourceNotFoundException", "The specified log group does not exist.");
    return group;
  }
}

function invalidToken(token: string): AwsServiceError {
  return new AwsServiceError(INVALID, `The specified nextToken is invalid: '${token}'`);
}

/** GetLogEvents: endTime exclusive; FilterLogEvents: "a timestamp later than this time" excluded, so inclusive. */
function inRange(events: readonly LogEvent[], startTime: number | undefined, endTime: number | undefined, endInclusive: boolean): LogEvent[] {
  return events.filter(
    (e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || (endInclusive ? e.timestamp <= endTime : e.timestamp < endTime)),
  );
}

function describeGroup(group: LogGroup) {
  const storedBytes = group.streams().reduce((sum, s) => sum + s.events.reduce((n, e) => n + Buffer.byteLength(e.message), 0), 0);
  return {
    logGroupName: group.name,
    creationTime: group.creationTime,
    ...(group.retentionInDays !== undefined ? { retentionInDays: group.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${group.arn}:*`,
    logGroupArn: group.arn,
    storedBytes,
    logGroupClass: "STANDARD",
  };
}

function describeStream(group: LogGroup, stream: LogStream) {
  const first = stream.events[0];
  const last = stream.events.at(-1);
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    ...(first ? { firstEventTimestamp: first.timestamp, lastEventTimestamp: last?.timestamp, lastIngestionTime: last?.ingestionTime } : {}),
    arn: `${group.arn}:log-stream:${stream.name}`,
    storedBytes: 0,
  };
}
