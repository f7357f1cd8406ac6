import { StreamLanguage, type StringStream } from '@codemirror/language';

/**
 * Kusto Query Language highlighting (no official CodeMirror 6 mode exists):
 * tabular operators, scalar functions, string literals in their KQL forms
 * ('…', "…", @'verbatim', ```multi-line```), numbers with timespan suffixes,
 * // comments, and the pipe.
 */
const operators = new Set(
  'where project project-away project-rename project-reorder project-keep extend summarize join union take limit top top-nested sort order by count distinct render parse parse-where mv-expand mv-apply make-series let search find evaluate lookup as on kind asc desc nulls first last getschema externaldata datatable range print invoke partition serialize sample sample-distinct fork facet materialize'.split(' '),
);
const words = new Set('and or not in !in has !has has_any has_all hasprefix hassuffix contains !contains contains_cs startswith !startswith endswith !endswith matches regex between !between like true false null inner outer leftouter rightouter fullouter leftanti rightanti leftsemi rightsemi innerunique anti semi step from to with'.split(' '));
const types = new Set('bool boolean datetime date dynamic guid int long real double string timespan time decimal'.split(' '));

interface KqlState {
  inTripleString: boolean;
}

function tokenize(stream: StringStream, state: KqlState): string | null {
  if (state.inTripleString) {
    if (stream.skipTo('```')) {
      stream.match('```');
      state.inTripleString = false;
    } else stream.skipToEnd();
    return 'string';
  }
  if (stream.eatSpace()) return null;
  if (stream.match('//')) {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.match('```')) {
    state.inTripleString = true;
    return 'string';
  }
  if (stream.match(/^[hH]?@?(['"])/, false)) {
    const verbatim = stream.match(/^[hH]?@/);
    const quote = stream.next();
    for (let ch = stream.next(); ch != null; ch = stream.next()) {
      if (ch === quote) break;
      if (ch === '\\' && !verbatim) stream.next();
    }
    return 'string';
  }
  if (stream.match(/^\d+(\.\d+)?(e[+-]?\d+)?(d|h|m|s|ms|microsecond|tick)?\b/i)) return 'number';
  if (stream.eat('|')) return 'keyword';
  if (stream.match(/^[!=<>]=?|^[+\-*/%]|^=~|^!~/)) return 'operator';
  if (stream.match(/^[A-Za-z_][\w-]*/)) {
    const word = stream.current();
    if (operators.has(word.toLowerCase())) return 'keyword';
    if (words.has(word.toLowerCase())) return 'operatorKeyword';
    if (types.has(word.toLowerCase())) return 'typeName';
    if (stream.match(/^\s*\(/, false)) return 'variableName.function';
    return 'variableName';
  }
  stream.next();
  return null;
}

export const kql = StreamLanguage.define<KqlState>({
  name: 'kql',
  startState: () => ({ inTripleString: false }),
  token: tokenize,
  languageData: { commentTokens: { line: '//' } },
});
