;; Squared distances from products in WebAssembly SIMD: d[i, j] = (zz[i] - 2*d[i, j]) + ee[j], in
;; place over the [n, k] products at byte offset d, with the rows' squared norms zz [n] and ee [k]:
;; distancesFromProducts in src/kernels/distances.ts, each operation rounded as there, so both give
;; the same bits. `npm run build:wasm` compiles it into
;; distances.generated.ts.
(module
  (memory (export "memory") 5)
  (func (export "fromProducts_f64") (param $d i32) (param $zz i32) (param $ee i32) (param $n i32) (param $k i32)
    (local $rowEnd i32) (local $e i32) (local $z f64) (local $zs v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $n)))
      (local.set $z (f64.load (local.get $zz)))
      (local.set $zs (f64x2.splat (local.get $z)))
      (local.set $rowEnd (i32.add (local.get $d) (i32.mul (local.get $k) (i32.const 8))))
      (local.set $e (local.get $ee))
      (block $done (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $rowEnd)))
        (v128.store (local.get $d) (f64x2.add
          (f64x2.sub (local.get $zs) (f64x2.add (v128.load (local.get $d)) (v128.load (local.get $d))))
          (v128.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $vectors)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $d) (local.get $rowEnd)))
        (f64.store (local.get $d) (f64.add
          (f64.sub (local.get $z) (f64.add (f64.load (local.get $d)) (f64.load (local.get $d))))
          (f64.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 8)))
        (local.set $e (i32.add (local.get $e) (i32.const 8)))
        (br $tail)))
      (local.set $zz (i32.add (local.get $zz) (i32.const 8)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $row))))
  ;; float32: zz - 2*d is rounded once from float64, as JavaScript computes it (2*d may overflow
  ;; float32 where the double does not), then + ee in float32
  (func (export "fromProducts_f32") (param $d i32) (param $zz i32) (param $ee i32) (param $n i32) (param $k i32)
    (local $rowEnd i32) (local $e i32) (local $z f64) (local $zs v128) (local $v v128) (local $low v128) (local $high v128)
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $n)))
      (local.set $z (f64.promote_f32 (f32.load (local.get $zz))))
      (local.set $zs (f64x2.splat (local.get $z)))
      (local.set $rowEnd (i32.add (local.get $d) (i32.mul (local.get $k) (i32.const 4))))
      (local.set $e (local.get $ee))
      (block $done (loop $vectors
        (br_if $done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $rowEnd)))
        (local.set $v (v128.load (local.get $d)))
        (local.set $low (f64x2.promote_low_f32x4 (local.get $v)))
        (local.set $high (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (f64x2.sub (local.get $zs) (f64x2.add (local.get $low) (local.get $low))))
          (f32x4.demote_f64x2_zero (f64x2.sub (local.get $zs) (f64x2.add (local.get $high) (local.get $high))))))
        (v128.store (local.get $d) (f32x4.add (local.get $v) (v128.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $e (i32.add (local.get $e) (i32.const 16)))
        (br $vectors)))
      (block $done (loop $tail
        (br_if $done (i32.ge_u (local.get $d) (local.get $rowEnd)))
        (f32.store (local.get $d) (f32.add
          (f32.demote_f64 (f64.sub (local.get $z) (f64.mul (f64.const 2) (f64.promote_f32 (f32.load (local.get $d))))))
          (f32.load (local.get $e))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $e (i32.add (local.get $e) (i32.const 4)))
        (br $tail)))
      (local.set $zz (i32.add (local.get $zz) (i32.const 4)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $row))))
)
