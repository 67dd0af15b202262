import type { ImportProperties } from '@serat/geo';
import { storableText } from '../shared/field-rules';
import { ImportMapping, MAPPED_FIELDS, MappedField, MappedFields } from './import-mapping';

/**
 * Bounds of what a dry run keeps about a file's properties. The analysis is stored with the
 * import and sent to the browser, so a file with a thousand columns or a million distinct status
 * words must not make it large: a few hundred kilobytes at most, whatever the file.
 */
export const ANALYSIS_LIMITS = {
  /** Property names reported (the most common ones, in file order). */
  properties: 100,
  /** Distinct property names counted before new ones are ignored. */
  trackedProperties: 1000,
  samples: 3,
  sampleChars: 60,
  /** A mapping names properties and words in at most 80 characters (mappingSchema). */
  nameChars: 80,
  /** Unrecognised words reported per field (the most frequent). */
  words: 50,
  /** Distinct unrecognised words counted before new ones are ignored. */
  trackedWords: 1000,
  /** Properties reported per Serat field. */
  sources: 5,
} as const;

export interface PropertySeen {
  /** As the file spells it. */
  name: string;
  /** Features with a non-empty value. */
  count: number;
  /** Up to three distinct values, long ones cut short with "…". */
  samples: string[];
}

export interface WordSeen {
  /** As first spelt in the file; words are told apart without regard to case, as the mapping reads them. */
  value: string;
  count: number;
}

export interface ImportAnalysis {
  /** The file's property names, in the order first met, with how many features carry a value. */
  properties: PropertySeen[];
  /** Distinct property names met (counted up to a bound); more than `properties.length` when some were left out. */
  propertyCount: number;
  /** Per Serat field, the properties its values were read from, most features first; empty when none had a value. */
  fields: Record<MappedField, Array<{ property: string; count: number }>>;
  /** Status and placement words no mapping recognised (the default was used), most frequent first. */
  unrecognised: {
    status: WordSeen[];
    placement: WordSeen[];
    /** Features whose status or placement word was not recognised, all of them. */
    statusFeatures: number;
    placementFeatures: number;
  };
  /** The mapping the dry run used (a template's and the options' own), over the default names. */
  mapping: ImportMapping;
}

/**
 * Long text cut short with "…", and shown with U+FFFD for what jsonb cannot store (a NUL, a lone
 * surrogate of the file, or one made by the cut): the analysis is stored with the import.
 */
const cut = (text: string, chars: number) => storableText(text.length > chars ? `${text.slice(0, chars - 1)}…` : text);

interface PropertyTally {
  name: string;
  order: number;
  count: number;
  samples: string[];
}

/** Counts words case-insensitively, up to a bound of distinct words; reports the most frequent. */
class WordTally {
  private readonly words = new Map<string, WordSeen>();
  features = 0;

  add(word: string | null): void {
    if (word === null) return;
    this.features += 1;
    const value = storableText(word.slice(0, ANALYSIS_LIMITS.nameChars));
    const key = value.toLowerCase();
    const seen = this.words.get(key);
    if (seen) seen.count += 1;
    else if (this.words.size < ANALYSIS_LIMITS.trackedWords) this.words.set(key, { value, count: 1 });
  }

  top(): WordSeen[] {
    return [...this.words.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value)).slice(0, ANALYSIS_LIMITS.words);
  }
}

/**
 * Gathers, feature by feature during a dry run, what a planner needs to map a file: its property
 * names with counts and sample values, where each Serat field was read from, and the status and
 * placement words that were not recognised.
 */
export class ImportAnalysisBuilder {
  private readonly properties = new Map<string, PropertyTally>();
  private readonly sources = new Map<MappedField, Map<string, number>>(MAPPED_FIELDS.map((field) => [field, new Map()]));
  private readonly statusWords = new WordTally();
  private readonly placementWords = new WordTally();

  add(properties: ImportProperties, mapped: MappedFields): void {
    for (const [name, value] of Object.entries(properties)) {
      if (value === null || value === undefined) continue;
      const text = String(value).trim();
      if (text === '') continue;
      let tally = this.properties.get(name);
      if (!tally) {
        if (this.properties.size >= ANALYSIS_LIMITS.trackedProperties) continue;
        tally = { name, order: this.properties.size, count: 0, samples: [] };
        this.properties.set(name, tally);
      }
      tally.count += 1;
      if (tally.samples.length < ANALYSIS_LIMITS.samples) {
        const sample = cut(text, ANALYSIS_LIMITS.sampleChars);
        if (!tally.samples.includes(sample)) tally.samples.push(sample);
      }
    }
    for (const field of MAPPED_FIELDS) {
      const from = mapped.from[field];
      if (from === null) continue;
      const counts = this.sources.get(field)!;
      counts.set(from, (counts.get(from) ?? 0) + 1);
    }
    this.statusWords.add(mapped.unknownStatus);
    this.placementWords.add(mapped.unknownPlacement);
  }

  result(mapping: ImportMapping = {}): ImportAnalysis {
    const kept = [...this.properties.values()]
      .sort((a, b) => b.count - a.count || a.order - b.order)
      .slice(0, ANALYSIS_LIMITS.properties)
      .sort((a, b) => a.order - b.order);
    const fields = {} as ImportAnalysis['fields'];
    for (const field of MAPPED_FIELDS) {
      fields[field] = [...this.sources.get(field)!.entries()]
        .map(([property, count]) => ({ property: cut(property, ANALYSIS_LIMITS.nameChars), count }))
        .sort((a, b) => b.count - a.count || a.property.localeCompare(b.property))
        .slice(0, ANALYSIS_LIMITS.sources);
    }
    return {
      properties: kept.map((p) => ({ name: cut(p.name, ANALYSIS_LIMITS.nameChars), count: p.count, samples: p.samples })),
      propertyCount: this.properties.size,
      fields,
      unrecognised: {
        status: this.statusWords.top(),
        placement: this.placementWords.top(),
        statusFeatures: this.statusWords.features,
        placementFeatures: this.placementWords.features,
      },
      mapping,
    };
  }
}
