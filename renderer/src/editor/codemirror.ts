import { EditorState, Compartment, type Extension } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection, placeholder as placeholderExt } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { HighlightStyle, syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { sql, MSSQL, SQLite } from '@codemirror/lang-sql';
import { tags as t } from '@lezer/highlight';
import { kql } from './kql-language';
import type { CodeEditor, CodeEditorOptions, QueryLanguage, TableSchema } from './code-editor';

/** Colours from the app's CSS variables, so the editor follows the dark and light themes. */
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.operatorKeyword, t.modifier], color: 'var(--cm-keyword)', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: 'var(--cm-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--cm-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [t.function(t.variableName), t.standard(t.name)], color: 'var(--cm-function)' },
  { tag: [t.typeName, t.className], color: 'var(--cm-type)' },
  { tag: [t.operator, t.punctuation], color: 'var(--cm-operator)' },
  { tag: [t.special(t.name), t.special(t.variableName)], color: 'var(--cm-param)' },
]);

const editorTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '13px', backgroundColor: 'var(--bg-sunken)', color: 'var(--text)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.6' },
  '.cm-content': { caretColor: 'var(--accent)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-sunken)', color: 'var(--faint)', border: 'none', borderRight: '1px solid var(--border)' },
  '.cm-activeLine, .cm-activeLineGutter': { backgroundColor: 'var(--row-alt)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground': { backgroundColor: 'var(--row-selected) !important' },
  '.cm-cursor': { borderLeftColor: 'var(--accent)' },
  '.cm-tooltip': { backgroundColor: 'var(--panel-2)', border: '1px solid var(--border-strong)', color: 'var(--text)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent-soft)', color: 'var(--text-strong)' },
  '.cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: 'none' },
});

function languageExtension(language: QueryLanguage, schema: TableSchema): Extension {
  if (language === 'kql') return kql;
  return sql({ dialect: language === 'tsql' ? MSSQL : SQLite, schema, upperCaseKeywords: true });
}

/** CodeMirror 6 behind the CodeEditor interface (see code-editor.ts for the textarea fallback). */
export function createCodeMirror(parent: HTMLElement, opts: CodeEditorOptions): CodeEditor {
  const lang = new Compartment();
  let silent = false;
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: opts.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        autocompletion(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(highlight),
        editorTheme,
        placeholderExt(opts.placeholder ?? ''),
        EditorView.contentAttributes.of({ 'aria-label': opts.label, 'data-testid': 'query-editor' }),
        // Ctrl+Enter belongs to the app (run the hunt), ahead of the default keymap's "insert blank line".
        keymap.of([{ key: 'Mod-Enter', run: () => (opts.onRun(), true) }, indentWithTab, ...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...completionKeymap]),
        lang.of(languageExtension(opts.language, opts.schema ?? {})),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !silent) opts.onChange(u.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    kind: 'codemirror',
    setValue(value) {
      if (value === view.state.doc.toString()) return;
      silent = true;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
      silent = false;
    },
    setLanguage(language, schema) {
      view.dispatch({ effects: lang.reconfigure(languageExtension(language, schema ?? {})) });
    },
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
