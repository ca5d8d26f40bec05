package io.lxcautoscale.api.containers;

import io.lxcautoscale.api.http.ApiError;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One mutating operation per container at a time: callers wait (fairly, bounded) for the container's lock and
 * get 409 when the wait runs out; different containers never wait for each other.
 */
public final class ContainerLocks {
    /** A held lock; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    // entries are only created for containers that exist, so the map is bounded by the node's containers
    private final ConcurrentHashMap<Integer, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Duration wait;

    public ContainerLocks(Duration wait) {
        this.wait = wait;
    }

    public Held acquire(int vmid) {
        ReentrantLock lock = locks.computeIfAbsent(vmid, id -> new ReentrantLock(true));
        boolean got;
        try {
            got = lock.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw ApiError.conflict("Another operation on container " + vmid + " is still running after waiting "
                    + wait.toMillis() + " ms; try again later");
        }
        return lock::unlock;
    }

    /** Locks two containers in id order (clone) so two opposite clones cannot deadlock. */
    public Held acquireBoth(int a, int b) {
        int first = Math.min(a, b);
        int second = Math.max(a, b);
        Held h1 = acquire(first);
        try {
            Held h2 = acquire(second);
            return () -> {
                h2.close();
                h1.close();
            };
        } catch (RuntimeException e) {
            h1.close();
            throw e;
        }
    }
}
