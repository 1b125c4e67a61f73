/** What a legacy endpoint answers: status, JSON body, and the W-L2 reason when it failed. */
export interface LegacyAnswer {
  status: number;
  body: unknown;
  reason?: string;
  /** Extra detail for the log only (never in the legacy body). */
  detail?: string;
}

export const ok = (body: unknown): LegacyAnswer => ({ status: 200, body });

/** The original's failure shape: 200 with a JSON string. */
export const failed = (body: string, reason: string, detail?: string): LegacyAnswer => ({
  status: 200,
  body,
  reason,
  detail,
});

export const invalidKey = (detail?: string): LegacyAnswer => ({
  status: 403,
  body: { msg: 'Invalid duffy key' },
  reason: 'auth',
  detail,
});
