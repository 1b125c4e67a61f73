// `client`: where `duffy client` talks to and as whom.
import { Check, Nested, NonEmptyStr, Required, Uuid, parseUrl } from './decorators';

export class ClientAuthSchema {
  @Required() @NonEmptyStr() name!: string;
  @Required() @Uuid() key!: string;
}

const isApiBaseUrl = (v: unknown): boolean => {
  const url = parseUrl(v);
  return (
    url !== undefined &&
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    /\/api\/v1\/?$/.test(url.pathname)
  );
};

export class ClientSchema {
  @Required()
  @Check('isApiUrl', isApiBaseUrl, 'must be an http(s) URL ending in /api/v1')
  url!: string;

  @Required() @Nested(() => ClientAuthSchema) auth!: ClientAuthSchema;
}
