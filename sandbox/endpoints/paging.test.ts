import * as assert from "node:assert/strict";
import { AwsServiceError } from "../aws-error";
import { pageOf, type PageRequest } from "./paging";

const request = (over: Partial<PageRequest> = {}): PageRequest => ({
  size: 2,
  defaultSize: 100,
  nextToken: undefined,
  scope: "ListThings a",
  invalidToken: (token) => new AwsServiceError("InvalidToken", `Invalid Token: '${token}'`),
  ...over,
});

describe("paging behind opaque tokens", () => {
  it("walks a list page by page and ends without a token", () => {
    const items = [1, 2, 3, 4, 5];
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = pageOf(items, request({ nextToken: token }));
      seen.push(...page.items);
      token = page.nextToken;
      pages++;
    } while (token);
    assert.deepEqual(seen, items);
    assert.equal(pages, 3);
  });

  it("uses the default size for 0 or no size", () => {
    assert.equal(pageOf([1, 2, 3], request({ size: 0, defaultSize: 2 })).items.length, 2);
    assert.equal(pageOf([1, 2, 3], request({ size: undefined, defaultSize: 5 })).nextToken, undefined);
  });

  it("refuses tokens it did not issue, or issued for another list, with the service's error", () => {
    const { nextToken } = pageOf([1, 2, 3], request());
    assert.ok(nextToken);
    for (const bad of ["2", "garbage", Buffer.from('["ListThings a",-1]').toString("base64url"), `${nextToken}=`]) {
      assert.throws(() => pageOf([1, 2, 3], request({ nextToken: bad })), (e: Error) => e.name === "InvalidToken", bad);
    }
    assert.throws(() => pageOf([1, 2, 3], request({ nextToken, scope: "ListThings b" })), (e: Error) => e.name === "InvalidToken");
  });
});
