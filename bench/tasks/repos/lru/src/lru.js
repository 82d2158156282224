// A least-recently-used cache: to be written.
export class LruCache {}
