import type { Engine } from '../engine.js';
import type { ApiParsedArgs, ApiResults } from '../api.js';
import { importHunts } from '../hunts/importer.js';
import { huntToYaml, parseHuntYaml, HuntYamlError } from '../hunts/yaml.js';
import { QuarryError } from '../errors.js';

type H<M extends keyof ApiResults & `hunts.${string}`> = (e: Engine, a: ApiParsedArgs<M>) => ApiResults[M] | Promise<ApiResults[M]>;

export const huntHandlers: { [M in keyof ApiResults & `hunts.${string}`]: H<M> } = {
  'hunts.list': (e, a) => e.hunts.list(a),
  'hunts.get': (e, a) => e.hunts.get(a.hunt),
  'hunts.save': (e, a) => e.hunts.saveParsed(a),
  'hunts.delete': (e, a) => ({ id: e.hunts.delete(a.hunt).id }),
  'hunts.import': (e, a) => importHunts(e.db, e.hunts, a.paths, { connection: a.connection }),
  'hunts.importYaml': (e, a) => {
    try {
      return e.hunts.saveParsed({ ...parseHuntYaml(a.yaml, a.fileName), sourcePath: null });
    } catch (err) {
      if (err instanceof HuntYamlError) throw new QuarryError('invalid_input', err.message);
      throw err;
    }
  },
  'hunts.exportYaml': (e, a) => {
    const hunt = e.hunts.get(a.hunt);
    return { yaml: huntToYaml(hunt), fileName: `${hunt.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '') || hunt.id}.yaml` };
  },
};
