;; Gumbel noise in WebAssembly SIMD: g = −log(−log u), u uniform in (0, 1), four draws at a time.
;; `npm run build:wasm` compiles it into gumbel.generated.ts; src/kernels/gumbelWasm.ts calls it, and
;; src/core/random.ts and src/gumbel/noise.ts hold the readable JavaScript it must match bit for bit.
;;
;; - The uniforms: Threefry-2x32-20 of four consecutive counters in the four i32 lanes (the same
;;   additions, rotations and xors as threefry2x32 in random.ts, on four blocks at once), then
;;   u = (k + ½)·2⁻⁵² with k the top 20 bits of the first word and all 32 of the second. Each
;;   turn of the loop computes several such blocks of four, independent of each other, so that
;;   their chains of dependent rounds overlap (see the exported kernel at the end).
;; - The logarithms: fdlibm's log (e_log.c, which V8's Math.log is), for positive normal doubles,
;;   on two doubles at once. Its branches become selects: both sides are computed and the lane's
;;   side is kept, so every lane gets exactly the value Math.log gives.
;; - float32 noise is computed in float32 arithmetic on four draws at once, from the top 32 bits w of
;;   each uniform's 52 (see gumbel32OfBits in src/gumbel/noise.ts), with the logf polynomial of
;;   src/kernels/log32.ts: the same bits as those two readable functions.
(module
  (memory (export "memory") 1)
  (global $ln2Hi f64 (f64.const 6.93147180369123816490e-01))
  (global $ln2Lo f64 (f64.const 1.90821492927058770002e-10))
  (global $lg1 f64 (f64.const 6.666666666666735130e-01))
  (global $lg2 f64 (f64.const 3.999999999940941908e-01))
  (global $lg3 f64 (f64.const 2.857142874366239149e-01))
  (global $lg4 f64 (f64.const 2.222219843214978396e-01))
  (global $lg5 f64 (f64.const 1.818357216161805012e-01))
  (global $lg6 f64 (f64.const 1.531383769920937332e-01))
  (global $lg7 f64 (f64.const 1.479819860511658591e-01))

  ;; log x for two positive normal doubles (fdlibm's e_log.c without its special cases).
  (func $log (param $x v128) (result v128)
    (local $hx v128) (local $k v128) (local $i v128) (local $f v128) (local $dk v128)
    (local $s v128) (local $z v128) (local $w v128) (local $r v128) (local $hfsq v128)
    (local $small v128) (local $upper v128) (local $rSmall v128) (local $rUpper v128) (local $rLower v128)
    ;; hx = the high word; k = its exponent; hx keeps the top 20 bits of the mantissa
    (local.set $hx (i64x2.shr_u (local.get $x) (i32.const 32)))
    (local.set $k (i64x2.sub (i64x2.shr_u (local.get $hx) (i32.const 20)) (i64x2.splat (i64.const 1023))))
    (local.set $hx (v128.and (local.get $hx) (i64x2.splat (i64.const 0x000fffff))))
    ;; i = (hx + 0x95f64) & 0x100000: 1 when the mantissa is past √2, so x is halved and k grows by 1
    (local.set $i (v128.and (i64x2.add (local.get $hx) (i64x2.splat (i64.const 0x95f64))) (i64x2.splat (i64.const 0x100000))))
    ;; x with its high word replaced by hx | (i ^ 0x3ff00000): the mantissa in [√2/2, √2)
    (local.set $x (v128.or
      (v128.and (local.get $x) (i64x2.splat (i64.const 0xffffffff)))
      (i64x2.shl (v128.or (local.get $hx) (v128.xor (local.get $i) (i64x2.splat (i64.const 0x3ff00000)))) (i32.const 32))))
    (local.set $k (i64x2.add (local.get $k) (i64x2.shr_u (local.get $i) (i32.const 20))))
    (local.set $f (f64x2.sub (local.get $x) (f64x2.splat (f64.const 1))))
    (local.set $dk (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))))
    ;; |f| < 2⁻²⁰: R = f²(½ − f/3);  log = k·ln2_hi − ((R − k·ln2_lo) − f)
    (local.set $small (i64x2.lt_s (v128.and (i64x2.add (local.get $hx) (i64x2.splat (i64.const 2))) (i64x2.splat (i64.const 0x000fffff))) (i64x2.splat (i64.const 3))))
    (local.set $r (f64x2.mul (f64x2.mul (local.get $f) (local.get $f))
      (f64x2.sub (f64x2.splat (f64.const 0.5)) (f64x2.mul (f64x2.splat (f64.const 0.33333333333333333)) (local.get $f)))))
    (local.set $rSmall (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Hi)))
      (f64x2.sub (f64x2.sub (local.get $r) (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Lo)))) (local.get $f))))
    ;; otherwise s = f/(2 + f), and log(1 + f) = 2s + s·R(s²) with fdlibm's polynomial R
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $r (f64x2.add
      (f64x2.mul (local.get $z) (f64x2.add (f64x2.splat (global.get $lg1)) (f64x2.mul (local.get $w)
        (f64x2.add (f64x2.splat (global.get $lg3)) (f64x2.mul (local.get $w)
          (f64x2.add (f64x2.splat (global.get $lg5)) (f64x2.mul (local.get $w) (f64x2.splat (global.get $lg7)))))))))
      (f64x2.mul (local.get $w) (f64x2.add (f64x2.splat (global.get $lg2)) (f64x2.mul (local.get $w)
        (f64x2.add (f64x2.splat (global.get $lg4)) (f64x2.mul (local.get $w) (f64x2.splat (global.get $lg6)))))))))
    ;; the mantissa far from 1 ((hx − 0x6147a) | (0x6b851 − hx) > 0): with hfsq = f²/2,
    ;;   log = k·ln2_hi − ((hfsq − (s·(hfsq + R) + k·ln2_lo)) − f)
    (local.set $upper (i64x2.gt_s (v128.or (i64x2.sub (local.get $hx) (i64x2.splat (i64.const 0x6147a))) (i64x2.sub (i64x2.splat (i64.const 0x6b851)) (local.get $hx))) (i64x2.splat (i64.const 0))))
    (local.set $hfsq (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $f)) (local.get $f)))
    (local.set $rUpper (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Hi)))
      (f64x2.sub (f64x2.sub (local.get $hfsq)
        (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r))) (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Lo)))))
        (local.get $f))))
    ;; near 1:  log = k·ln2_hi − ((s·(f − R) − k·ln2_lo) − f)
    (local.set $rLower (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Hi)))
      (f64x2.sub (f64x2.sub (f64x2.mul (local.get $s) (f64x2.sub (local.get $f) (local.get $r))) (f64x2.mul (local.get $dk) (f64x2.splat (global.get $ln2Lo))))
        (local.get $f))))
    (v128.bitselect (local.get $rSmall) (v128.bitselect (local.get $rUpper) (local.get $rLower) (local.get $upper)) (local.get $small)))

  ;; log x for four positive normal floats: log32 in src/kernels/log32.ts, operation for operation
  (func $log32 (param $x v128) (result v128)
    (local $e v128) (local $m v128) (local $small v128) (local $r v128) (local $z v128) (local $z2 v128) (local $low v128) (local $high v128)
    (local $p v128) (local $fe v128) (local $y v128)
    ;; x = m*2^e with m in [1/2, 1); below sqrt(1/2), m doubles and e drops by 1 (small is -1 there)
    (local.set $e (i32x4.sub (i32x4.shr_u (local.get $x) (i32.const 23)) (i32x4.splat (i32.const 126))))
    (local.set $m (v128.or (v128.and (local.get $x) (i32x4.splat (i32.const 0x007fffff))) (i32x4.splat (i32.const 0x3f000000))))
    (local.set $small (f32x4.lt (local.get $m) (f32x4.splat (f32.const 0.707106781186547524))))
    (local.set $e (i32x4.add (local.get $e) (local.get $small)))
    (local.set $m (f32x4.add (local.get $m) (v128.and (local.get $m) (local.get $small))))
    (local.set $r (f32x4.sub (local.get $m) (f32x4.splat (f32.const 1))))
    (local.set $z (f32x4.mul (local.get $r) (local.get $r)))
    ;; P(r) by Estrin's scheme (Cephes' coefficients): four independent pairs, then r^2 and r^4
    (local.set $z2 (f32x4.mul (local.get $z) (local.get $z)))
    (local.set $low (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.splat (f32.const 7.0376836292e-2)) (local.get $r)) (f32x4.splat (f32.const -1.1514610310e-1))) (local.get $z)) (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.1676998740e-1)) (local.get $r)) (f32x4.splat (f32.const -1.2420140846e-1)))))
    (local.set $high (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (f32x4.splat (f32.const 1.4249322787e-1)) (local.get $r)) (f32x4.splat (f32.const -1.6668057665e-1))) (local.get $z)) (f32x4.add (f32x4.mul (f32x4.splat (f32.const 2.0000714765e-1)) (local.get $r)) (f32x4.splat (f32.const -2.4999993993e-1)))))
    (local.set $p (f32x4.add (f32x4.mul (f32x4.add (f32x4.mul (local.get $low) (local.get $z2)) (local.get $high)) (local.get $r)) (f32x4.splat (f32.const 3.3333331174e-1))))
    ;; log x = r + (r^3 P(r) + e*ln2_lo - r^2/2) + e*ln2_hi
    (local.set $y (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $z)))
    (local.set $fe (f32x4.convert_i32x4_s (local.get $e)))
    (local.set $y (f32x4.add (local.get $y) (f32x4.mul (local.get $fe) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $y (f32x4.sub (local.get $y) (f32x4.mul (local.get $z) (f32x4.splat (f32.const 0.5)))))
    (f32x4.add (f32x4.add (local.get $r) (local.get $y)) (f32x4.mul (local.get $fe) (f32x4.splat (f32.const 0.693359375)))))

  ;; float32 g = -log(-log u) for four draws from the top 32 bits w of their uniforms: gumbel32OfBits
  ;; in src/gumbel/noise.ts. Below 1/2, u = (w + 1/2)*2^-32 and -log u directly; above, v = 1 - u is
  ;; the exact one, and -log u = -log1p(-v) = -log(1 - v)*v/((1 - (1 - v))) keeps its relative accuracy.
  (func $gumbel32 (param $w v128) (result v128)
    (local $lower v128) (local $t v128) (local $y v128) (local $e v128)
    (local.set $lower (i32x4.ge_s (local.get $w) (i32x4.splat (i32.const 0))))
    ;; t = u below 1/2, v above: (a + 1/2)*2^-32 with a = w or ~w, below 2^31 either way
    (local.set $t (f32x4.mul
      (f32x4.add (f32x4.convert_i32x4_s (v128.bitselect (local.get $w) (v128.not (local.get $w)) (local.get $lower))) (f32x4.splat (f32.const 0.5)))
      (f32x4.splat (f32.const 0x1p-32))))
    (local.set $y (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $t)))
    (local.set $e (f32x4.neg (call $log32 (v128.bitselect (local.get $t) (local.get $y) (local.get $lower)))))
    (local.set $e (v128.bitselect
      (local.get $e)
      (v128.bitselect
        (local.get $t)
        (f32x4.mul (local.get $e) (f32x4.div (local.get $t) (f32x4.sub (f32x4.splat (f32.const 1)) (local.get $y))))
        (f32x4.eq (local.get $y) (f32x4.splat (f32.const 1))))
      (local.get $lower)))
    (f32x4.neg (call $log32 (local.get $e))))

  ;; g = −log(−log u) for two uniforms
  (func $gumbelOf (param $u v128) (result v128)
    (f64x2.neg (call $log (f64x2.neg (call $log (local.get $u))))))

  ;; u = ((a >>> 12)·2³² + b + ½)·2⁻⁵² for the two blocks in lanes 0 and 1 of (a, b)
  (func $uniforms (param $a v128) (param $b v128) (result v128)
    (f64x2.mul
      (f64x2.add
        (f64x2.add
          (f64x2.mul (f64x2.convert_low_i32x4_u (i32x4.shr_u (local.get $a) (i32.const 12))) (f64x2.splat (f64.const 4294967296)))
          (f64x2.convert_low_i32x4_u (local.get $b)))
        (f64x2.splat (f64.const 0.5)))
      (f64x2.splat (f64.const 2.220446049250313e-16))))

  ;; Threefry-2x32-20 of the four blocks at counters (c, hi), one block a lane, under the key (k0, k1)
  ;; with k2 = k0 ^ k1 ^ 0x1bd11bda: its two words. threefry2x32 in random.ts on four blocks at once.
  (func $threefry (param $c v128) (param $hi v128) (param $k0 v128) (param $k1 v128) (param $k2 v128) (result v128 v128)
    (local $x0 v128) (local $x1 v128)
    (local.set $x0 (i32x4.add (local.get $c) (local.get $k0)))
    (local.set $x1 (i32x4.add (local.get $hi) (local.get $k1)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 13)) (i32x4.shr_u (local.get $x1) (i32.const 19))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 15)) (i32x4.shr_u (local.get $x1) (i32.const 17))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 26)) (i32x4.shr_u (local.get $x1) (i32.const 6))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 6)) (i32x4.shr_u (local.get $x1) (i32.const 26))) (local.get $x0)))
    ;; key injection 1
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $k1)))
    (local.set $x1 (i32x4.add (i32x4.add (local.get $x1) (local.get $k2)) (i32x4.splat (i32.const 1))))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 17)) (i32x4.shr_u (local.get $x1) (i32.const 15))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 29)) (i32x4.shr_u (local.get $x1) (i32.const 3))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 16)) (i32x4.shr_u (local.get $x1) (i32.const 16))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 24)) (i32x4.shr_u (local.get $x1) (i32.const 8))) (local.get $x0)))
    ;; key injection 2
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $k2)))
    (local.set $x1 (i32x4.add (i32x4.add (local.get $x1) (local.get $k0)) (i32x4.splat (i32.const 2))))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 13)) (i32x4.shr_u (local.get $x1) (i32.const 19))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 15)) (i32x4.shr_u (local.get $x1) (i32.const 17))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 26)) (i32x4.shr_u (local.get $x1) (i32.const 6))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 6)) (i32x4.shr_u (local.get $x1) (i32.const 26))) (local.get $x0)))
    ;; key injection 3
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $k0)))
    (local.set $x1 (i32x4.add (i32x4.add (local.get $x1) (local.get $k1)) (i32x4.splat (i32.const 3))))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 17)) (i32x4.shr_u (local.get $x1) (i32.const 15))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 29)) (i32x4.shr_u (local.get $x1) (i32.const 3))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 16)) (i32x4.shr_u (local.get $x1) (i32.const 16))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 24)) (i32x4.shr_u (local.get $x1) (i32.const 8))) (local.get $x0)))
    ;; key injection 4
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $k1)))
    (local.set $x1 (i32x4.add (i32x4.add (local.get $x1) (local.get $k2)) (i32x4.splat (i32.const 4))))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 13)) (i32x4.shr_u (local.get $x1) (i32.const 19))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 15)) (i32x4.shr_u (local.get $x1) (i32.const 17))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 26)) (i32x4.shr_u (local.get $x1) (i32.const 6))) (local.get $x0)))
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $x1)))
    (local.set $x1 (v128.xor (v128.or (i32x4.shl (local.get $x1) (i32.const 6)) (i32x4.shr_u (local.get $x1) (i32.const 26))) (local.get $x0)))
    ;; key injection 5
    (local.set $x0 (i32x4.add (local.get $x0) (local.get $k2)))
    (local.set $x1 (i32x4.add (i32x4.add (local.get $x1) (local.get $k0)) (i32x4.splat (i32.const 5))))
    (local.get $x0) (local.get $x1))

  ;; Writes the four float32 draws of the blocks whose words are (x0, x1) at `out`; returns the address after them.
  (func $write32 (param $out i32) (param $x0 v128) (param $x1 v128) (result i32)
    ;; w = the top 32 of the 52 bits: the first word's top 20, the second's top 12
    (v128.store (local.get $out) (call $gumbel32 (v128.or
      (v128.and (local.get $x0) (i32x4.splat (i32.const -4096)))
      (i32x4.shr_u (local.get $x1) (i32.const 20)))))
    (i32.add (local.get $out) (i32.const 16)))

  ;; The same for float64 draws: lanes 0 and 1 of the words, then lanes 2 and 3.
  (func $write64 (param $out i32) (param $x0 v128) (param $x1 v128) (result i32)
    (v128.store (local.get $out) (call $gumbelOf (call $uniforms (local.get $x0) (local.get $x1))))
    (v128.store offset=16 (local.get $out) (call $gumbelOf (call $uniforms
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x0) (local.get $x0))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x1) (local.get $x1)))))
    (i32.add (local.get $out) (i32.const 32)))

  ;; Writes `count` (a multiple of 4) Gumbel draws of the blocks at counters (lo + n, hi), n = 0,
  ;; 1, …, under the key (key0, key1), to `out`: float64 values, or float32 values computed in
  ;; float32 when `single` is 1. The caller splits a run whose low counter word would wrap.
  ;; The twenty rounds of a Threefry block are a chain of dependent steps, so each turn computes
  ;; several independent blocks and the processor works on one while another waits: four for
  ;; float32 (twice the speed of one a turn), two for float64, whose logarithms are most of its
  ;; work (four ran slower there). The last draws go one block at a time.
  (func (export "gumbel") (param $key0 i32) (param $key1 i32) (param $lo i32) (param $hi i32) (param $count i32) (param $out i32) (param $single i32)
    (local $k0 v128) (local $k1 v128) (local $k2 v128) (local $h v128) (local $c v128) (local $n i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $d0 v128) (local $d1 v128) (local $e0 v128) (local $e1 v128)
    (local.set $k0 (i32x4.splat (local.get $key0)))
    (local.set $k1 (i32x4.splat (local.get $key1)))
    (local.set $k2 (i32x4.splat (i32.xor (i32.xor (i32.const 0x1bd11bda) (local.get $key0)) (local.get $key1))))
    (local.set $h (i32x4.splat (local.get $hi)))
    (local.set $c (i32x4.add (i32x4.splat (local.get $lo)) (v128.const i32x4 0 1 2 3)))
    (local.set $n (i32.const 0))
    (if (local.get $single)
      (then
        (block $fewer32 (loop $four32
            (br_if $fewer32 (i32.gt_u (i32.add (local.get $n) (i32.const 16)) (local.get $count)))
            (call $threefry (local.get $c) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $a1) (local.set $a0)
            (call $threefry (i32x4.add (local.get $c) (i32x4.splat (i32.const 4))) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $b1) (local.set $b0)
            (call $threefry (i32x4.add (local.get $c) (i32x4.splat (i32.const 8))) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $d1) (local.set $d0)
            (call $threefry (i32x4.add (local.get $c) (i32x4.splat (i32.const 12))) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $e1) (local.set $e0)
            (local.set $out (call $write32 (local.get $out) (local.get $a0) (local.get $a1)))
            (local.set $out (call $write32 (local.get $out) (local.get $b0) (local.get $b1)))
            (local.set $out (call $write32 (local.get $out) (local.get $d0) (local.get $d1)))
            (local.set $out (call $write32 (local.get $out) (local.get $e0) (local.get $e1)))
            (local.set $c (i32x4.add (local.get $c) (i32x4.splat (i32.const 16))))
            (local.set $n (i32.add (local.get $n) (i32.const 16)))
            (br $four32)))
        (block $done32 (loop $one32
            (br_if $done32 (i32.gt_u (i32.add (local.get $n) (i32.const 4)) (local.get $count)))
            (call $threefry (local.get $c) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $a1) (local.set $a0)
            (local.set $out (call $write32 (local.get $out) (local.get $a0) (local.get $a1)))
            (local.set $c (i32x4.add (local.get $c) (i32x4.splat (i32.const 4))))
            (local.set $n (i32.add (local.get $n) (i32.const 4)))
            (br $one32))))
      (else
        (block $fewer64 (loop $two64
            (br_if $fewer64 (i32.gt_u (i32.add (local.get $n) (i32.const 8)) (local.get $count)))
            (call $threefry (local.get $c) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $a1) (local.set $a0)
            (call $threefry (i32x4.add (local.get $c) (i32x4.splat (i32.const 4))) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $b1) (local.set $b0)
            (local.set $out (call $write64 (local.get $out) (local.get $a0) (local.get $a1)))
            (local.set $out (call $write64 (local.get $out) (local.get $b0) (local.get $b1)))
            (local.set $c (i32x4.add (local.get $c) (i32x4.splat (i32.const 8))))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $two64)))
        (block $done64 (loop $one64
            (br_if $done64 (i32.gt_u (i32.add (local.get $n) (i32.const 4)) (local.get $count)))
            (call $threefry (local.get $c) (local.get $h) (local.get $k0) (local.get $k1) (local.get $k2))
            (local.set $a1) (local.set $a0)
            (local.set $out (call $write64 (local.get $out) (local.get $a0) (local.get $a1)))
            (local.set $c (i32x4.add (local.get $c) (i32x4.splat (i32.const 4))))
            (local.set $n (i32.add (local.get $n) (i32.const 4)))
            (br $one64))))))
)
