package org.mirage4j.virtio.testing;

/**
 * Ways a software device can get used elements or negotiation wrong, for tests of the drivers'
 * guards; see {@link SoftwareDevice#misbehave}. A stuck device is {@link SoftwareDevice#stall},
 * a device that needs a reset is {@link SoftwareDevice#requestReset}.
 */
public enum Misbehaviour {
    /** Reports more bytes written than the chain can hold. */
    LENGTH_TOO_LONG,
    /** Puts a used element with an id outside the queue before the real one. */
    ID_OUT_OF_RANGE,
    /** Puts the real element twice: the second time its id is no longer in flight. */
    ID_REPEATED,
    /** Moves the used index further than the queue is long: the ring cannot be trusted any more. */
    USED_INDEX_JUMP,
    /** Clears FEATURES_OK when the driver sets it, refusing the driver's feature set. */
    REFUSE_FEATURES
}
