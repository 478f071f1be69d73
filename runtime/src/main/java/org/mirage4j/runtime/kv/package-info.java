/**
 * A read-only key-value store of files embedded in the application at build time (MirageOS's
 * {@code crunch}). The build generates the index; this package serves it.
 */
package org.mirage4j.runtime.kv;
