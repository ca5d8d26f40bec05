package io.lxcautoscale.api;

public final class ApiMain {
    public static void main(String[] args) {
    }
}
