/**
 * What a generated {@code Main} runs on: runtime keys from the command line (with {@code --help}),
 * and the unikernel's life: connect the devices in dependency order, start the job on a virtual
 * thread, disconnect in reverse order when it ends or the process is interrupted.
 *
 * <p>Nothing here is chosen per application; the generated code passes in what is.
 */
package org.mirage4j.runtime;
