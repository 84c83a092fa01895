import { describe, expect, it } from 'vitest';
import { cpuQuantity, decimalQuantity, goDuration, memoryQuantity, metaTime } from '../../../src-main/apiserver/metrics/format';

describe('metrics.k8s.io value formats', () => {
  it('CPU is a DecimalSI quantity built from nanocores, canonicalized like resource.Quantity', () => {
    expect(cpuQuantity(0)).toBe('0');
    expect(cpuQuantity(12345)).toBe('12345n');
    expect(cpuQuantity(137263395)).toBe('137263395n');
    expect(cpuQuantity(1_500_000)).toBe('1500u');
    expect(cpuQuantity(5_000_000)).toBe('5m');
    expect(cpuQuantity(250_000_000)).toBe('250m');
    expect(cpuQuantity(1_000_000_000)).toBe('1');
    expect(cpuQuantity(120_000_000_000)).toBe('120');
    expect(cpuQuantity(12_340)).toBe('12340n');
    expect(cpuQuantity(2.9)).toBe('2n');
    expect(decimalQuantity(2000n, 0)).toBe('2k');
  });

  it('memory is a BinarySI quantity of bytes: Ki/Mi when divisible, plain digits otherwise', () => {
    expect(memoryQuantity(0)).toBe('0');
    expect(memoryQuantity(512)).toBe('512');
    expect(memoryQuantity(1024)).toBe('1Ki');
    expect(memoryQuantity(12_345_344)).toBe('12056Ki');
    expect(memoryQuantity(3 * 1024 * 1024)).toBe('3Mi');
    expect(memoryQuantity(1_234_567)).toBe('1234567');
    expect(memoryQuantity(2 * 1024 ** 3)).toBe('2Gi');
  });

  it('windows read as Go durations and timestamps as metav1.Time', () => {
    expect(goDuration(15_000)).toBe('15s');
    expect(goDuration(20_031)).toBe('20.031s');
    expect(goDuration(12_500)).toBe('12.5s');
    expect(goDuration(60_000)).toBe('1m0s');
    expect(goDuration(500)).toBe('500ms');
    expect(goDuration(0)).toBe('0s');
    expect(metaTime(Date.UTC(2024, 4, 1, 10, 0, 7, 999))).toBe('2024-05-01T10:00:07Z');
  });
});
