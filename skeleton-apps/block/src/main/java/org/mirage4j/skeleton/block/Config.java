package org.mirage4j.skeleton.block;

import org.mirage4j.config.Mirage;
import org.mirage4j.config.MirageConfig;
import org.mirage4j.config.Unikernel;

/** A console and a block device: on unix the file --block-file (disk.img), made with 1 MiB when missing. */
public final class Config implements MirageConfig {

    @Override
    public Unikernel configure(Mirage m) {
        var disk = m.block("disk", "1M");
        return m.register("block", m.main(Dispatch.class, m.defaultConsole(), disk));
    }
}
