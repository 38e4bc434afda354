// The reporters `grade --reporter` knows, in one place: the command checks names against it and its help lists it.
export const REPORTERS = ['pretty', 'json', 'junit', 'github', 'classroom', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];
