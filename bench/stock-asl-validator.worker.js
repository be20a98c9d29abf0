// Worker entry: a fresh module registry, so asl-validator here is the library as published, without the
// analysis core's compiled schema check. TypeScript is compiled on the fly as in cli/bin.js.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("./stock-asl-validator.ts");
