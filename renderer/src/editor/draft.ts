import type { HuntInput } from '../../../engine/hunts/schema';
import type { Hunt, HuntParameter, QueryLanguage, Severity } from '../../../engine/types';

/** A hunt being edited: what hunts.save takes, with every field present so the form can bind to it. */
export interface HuntDraft {
  id?: string;
  name: string;
  description: string;
  connection: string | null;
  language: QueryLanguage;
  query: string;
  parameters: HuntParameter[];
  tactics: string[];
  techniques: string[];
  severity: Severity;
  tags: string[];
}

export function blankDraft(): HuntDraft {
  return { name: '', description: '', connection: 'local', language: 'sql', query: '', parameters: [], tactics: [], techniques: [], severity: 'medium', tags: [] };
}

export function draftOf(h: Hunt): HuntDraft {
  return {
    id: h.id,
    name: h.name,
    description: h.description,
    connection: h.connection,
    language: h.language,
    query: h.query,
    parameters: h.parameters.map((p) => ({ ...p })),
    tactics: [...h.tactics],
    techniques: [...h.techniques],
    severity: h.severity,
    tags: [...h.tags],
  };
}

/** The save request: the draft over the stored hunt, so fields the form does not show (entity mappings, extra YAML) survive. */
export function saveInput(draft: HuntDraft, stored: Hunt | null): HuntInput {
  const base = stored ? { entityMappings: stored.entityMappings, requiredDataConnectors: stored.requiredDataConnectors, version: stored.version, extra: stored.extra, sourcePath: stored.sourcePath } : {};
  return { ...base, ...draft, parameters: draft.parameters.map((p) => ({ ...p, description: p.description || undefined })) };
}

export const sameDraft = (a: HuntDraft, b: HuntDraft): boolean => JSON.stringify(a) === JSON.stringify(b);
