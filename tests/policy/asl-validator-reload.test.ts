import { strict as assert } from "node:assert";

/**
 * The analysis replaces two of asl-validator's checks on the library's own modules and keeps the originals for
 * the equivalence tests. Loading the program under mocks forgets the project's modules, so the analysis module
 * can be evaluated again in one process: the originals it keeps must still be the library's, not the
 * replacements an earlier evaluation installed.
 */
describe("policy analysis: asl-validator's checks, when the analysis module is evaluated again", function () {
  it("keeps the library's own schema and transition-target checks as the originals", function () {
    const file = require.resolve("../../policy/analysis/asl-validator");
    type Module = typeof import("../../policy/analysis/asl-validator");
    const first = require(file) as Module;
    const cached = require.cache[file];
    delete require.cache[file];
    try {
      const second = require(file) as Module;
      assert.notEqual(second, first, "the module was evaluated again");
      assert.equal(second.librarySchemaCheck, first.librarySchemaCheck);
      assert.notEqual(second.librarySchemaCheck, first.compiledSchemaCheck);
      assert.equal(second.libraryTransitionTargetCheck, first.libraryTransitionTargetCheck);
      assert.notEqual(second.libraryTransitionTargetCheck, first.linearTransitionTargetCheck);
    } finally {
      require.cache[file] = cached;
    }
  });
});
