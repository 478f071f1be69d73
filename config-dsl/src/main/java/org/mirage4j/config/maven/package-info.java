/**
 * The Maven plugin (prefix {@code mirage}): {@code mirage:generate} evaluates the application's
 * {@code Config.java} for the active target in {@code generate-sources} and adds the generated
 * wiring to the build.
 */
package org.mirage4j.config.maven;
