export { canonicalJson } from './canonical-json';
export { chainHash, contentDigest } from './event-digest';
export type { HashedContent } from './event-digest';
export { verifyChains } from './verify-chains';
export type {
  BrokenLink,
  BrokenLinkReason,
  ChainAnchor,
  ChainReport,
  VerifyChainsOptions,
} from './verify-chains';
