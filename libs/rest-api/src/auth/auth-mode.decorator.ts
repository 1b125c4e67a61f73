import { SetMetadata } from '@nestjs/common';

/** required (default): 401 without credentials; none: the route takes no credentials. */
export type AuthMode = 'required' | 'none';
export const AUTH_MODE = 'duffy:auth-mode';

export const NoAuth = () => SetMetadata(AUTH_MODE, 'none' satisfies AuthMode);
