/**
 * An S3 target's Exclusions, as the Glue developer guide ("Include and exclude patterns") interprets them:
 * Unix-style globs applied to the key relative to the include path, where "/" separates folders, `*` matches
 * within one name component, `**` crosses folder boundaries, `?` matches one character, `[...]` / `[!...]`
 * are bracket expressions (`*`, `?` and `\` match themselves inside), `{a,b}` groups (not nested), `\` escapes,
 * and leading dots are ordinary characters. A pattern is matched against each object's whole relative key:
 * `2015/01/0[8-9]**` excludes what lies below those folders, `2015/01/0[8-9]*` does not ("If \"*\" is used, lower
 * folder levels are not excluded").
 */
export class ExclusionPatternError extends Error {}

export function exclusionMatcher(patterns: readonly string[]): (relativeKey: string) => boolean {
  const compiled = patterns.map((p) => globToRegExp(p));
  return (relativeKey) => compiled.some((re) => re.test(relativeKey));
}

export function globToRegExp(pattern: string): RegExp {
  let out = "";
  let inGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      if (i + 1 >= pattern.length) throw new ExclusionPatternError(`Exclusion pattern "${pattern}" ends with an escape character`);
      out += escapeRegExp(pattern[++i]);
    } else if (c === "*") {
      if (pattern[i + 1] === "*") {
        out += ".*";
        i++;
      } else out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) throw new ExclusionPatternError(`Exclusion pattern "${pattern}" has a "[" without "]"`);
      let body = pattern.slice(i + 1, close);
      const negated = body.startsWith("!");
      if (negated) body = body.slice(1);
      const escaped = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += negated ? `[^/${escaped}]` : `[${escaped}]`;
      i = close;
    } else if (c === "{") {
      if (inGroup) throw new ExclusionPatternError(`Exclusion pattern "${pattern}" nests groups, which Glue does not allow`);
      inGroup = true;
      out += "(?:";
    } else if (c === "}" && inGroup) {
      inGroup = false;
      out += ")";
    } else if (c === "," && inGroup) {
      out += "|";
    } else {
      out += escapeRegExp(c);
    }
  }
  if (inGroup) throw new ExclusionPatternError(`Exclusion pattern "${pattern}" has a "{" without "}"`);
  return new RegExp(`^${out}$`, "s");
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, (m) => `\\${m}`);
}
