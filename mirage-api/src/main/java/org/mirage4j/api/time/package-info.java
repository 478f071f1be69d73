/** Clocks and sleeping. Protocol code takes time as a value; these devices are read only at the edges. */
package org.mirage4j.api.time;
