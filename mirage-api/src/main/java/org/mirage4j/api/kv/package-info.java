/**
 * Key-value stores (mirage-kv): a read-only store ({@code crunch}ed files, a tar archive) and a
 * read-write one. Keys are paths of segments such as {@code /css/site.css}.
 */
package org.mirage4j.api.kv;
