package io.lxcautoscale.monitor;

public final class MonitorMain {
    public static void main(String[] args) {
    }
}
