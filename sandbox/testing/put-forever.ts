import { Readable } from "node:stream";
import { createSafeStore, type StoreForTests } from "../s3/s3rver-backend";

/**
 * Child process of the torn-write test: overwrites one object through the S3 store with a body that
 * never ends (1 MiB chunks), and says "writing" once bytes are on disk, so the parent can kill -9 it
 * mid-write. Arguments: <store directory> <bucket> <key>.
 */
const [directory, bucket, key] = process.argv.slice(2);
const store = createSafeStore(directory) as StoreForTests;
let sent = 0;
const body = new Readable({
  read() {
    sent += 1;
    this.push(Buffer.alloc(1024 * 1024, "n"));
    if (sent === 4) setTimeout(() => process.send?.("writing"), 50);
  },
});
void store.putObject({ bucket, key, content: body, metadata: { "content-type": "text/plain" } });
