package io.sr4j.cli;

public final class Main {
  public static void main(String[] args) {
    System.out.println(org.nd4j.linalg.factory.Nd4j.create(new float[] {1, 2}).sumNumber());
  }
}
