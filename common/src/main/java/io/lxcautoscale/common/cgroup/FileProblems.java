package io.lxcautoscale.common.cgroup;

import java.io.IOException;

/** Where a reader reports a file it could not use; the collector logs each once per container and file. */
public interface FileProblems {
    /** The file exists but its content is not in the expected format. */
    void garbage(String path, String what);

    /** The file exists (or existed) but could not be read. */
    void unreadable(String path, IOException error);
}
