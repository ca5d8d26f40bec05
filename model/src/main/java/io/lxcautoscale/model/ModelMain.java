package io.lxcautoscale.model;

public final class ModelMain {
    public static void main(String[] args) {
    }
}
