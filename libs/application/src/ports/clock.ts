/** Time comes from here, so tests can move it and the domain stays free of Date.now. */
export interface Clock {
  now(): Date;
}

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }
}
