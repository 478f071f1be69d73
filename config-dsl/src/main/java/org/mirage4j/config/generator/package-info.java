/**
 * Turns a configured {@link org.mirage4j.config.Unikernel} into Java source for one target: a
 * Dagger component that binds exactly the chosen implementations, a module for the runtime keys,
 * one for each embedded directory, and a {@code Main}. Runs at build time only; it may use
 * reflection on the application's compiled classes, the generated code never does.
 */
package org.mirage4j.config.generator;
