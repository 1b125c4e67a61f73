export type * from './legacy-bodies';
