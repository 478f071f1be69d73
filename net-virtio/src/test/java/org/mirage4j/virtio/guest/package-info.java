/** Main classes that {@code VirtioTransportIT} boots as unikernels; they run in the VM, not in the test JVM. */
package org.mirage4j.virtio.guest;
