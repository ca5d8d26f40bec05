package io.lxcautoscale.sim;

public final class SimMain {
    public static void main(String[] args) {
    }
}
