/**
 * {@code mvn -Ptarget=unix exec:java} for mirage4j applications: builds the application, then
 * runs its generated {@code mirage.Main} as a process of its own, as the unikernel runs anywhere
 * else (its own logger setup, signals and exit status).
 */
package org.mirage4j.run;
