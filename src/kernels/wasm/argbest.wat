;; argmin and argmax along rows in WebAssembly SIMD: argminRows and argmaxRows in
;; src/kernels/reduce.ts, with the same answers: the index of the first best value in each row,
;; and of the first NaN if the row holds one. `npm run build:wasm` compiles it into
;; argbest.generated.ts.
;;
;; argmax is argmin with every value's sign bit flipped: that reverses the order, keeps ties
;; (−0 and 0 stay equal) and leaves a NaN a NaN, so one loop serves both.
;;
;; Each lane keeps its own first smallest value and its index. Four vectors of lanes run side by
;; side, because one alone waits on its compare-and-select chain; the four are then merged, the
;; smaller value winning and the earlier index on a tie, and the last values of the row, fewer than
;; a step, are scanned in order. The lanes also collect whether they saw a NaN, and a row that holds
;; one is scanned again for its first NaN, which wins. (Leaving the loop at a step holding a NaN
;; instead cost more than half the kernel's time: the branch on v128.any_true is slow in V8.)
(module
  (memory (export "memory") 5)
  (func (export "argmin_f64") (param $x i32) (param $rows i32) (param $size i32) (param $out i32)
    (call $argbest_f64 (local.get $x) (local.get $rows) (local.get $size) (local.get $out) (i64.const 0)))
  (func (export "argmax_f64") (param $x i32) (param $rows i32) (param $size i32) (param $out i32)
    (call $argbest_f64 (local.get $x) (local.get $rows) (local.get $size) (local.get $out) (i64.const 0x8000000000000000)))
  (func (export "argmin_f32") (param $x i32) (param $rows i32) (param $size i32) (param $out i32)
    (call $argbest_f32 (local.get $x) (local.get $rows) (local.get $size) (local.get $out) (i32.const 0)))
  (func (export "argmax_f32") (param $x i32) (param $rows i32) (param $size i32) (param $out i32)
    (call $argbest_f32 (local.get $x) (local.get $rows) (local.get $size) (local.get $out) (i32.const 0x80000000)))

  ;; float64: 4 vectors of 2 lanes, 8 values a step
  (func $argbest_f64 (param $x i32) (param $rows i32) (param $size i32) (param $out i32) (param $sign i64)
    (local $rowEnd i32) (local $p i32) (local $j i32) (local $signs v128) (local $position v128) (local $nan v128) (local $smaller v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $i0 v128) (local $i1 v128) (local $i2 v128) (local $i3 v128)
    (local $top f64) (local $other f64) (local $at i32)
    (local.set $signs (i64x2.splat (local.get $sign)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $x) (i32.mul (local.get $size) (i32.const 8))))
      (local.set $p (local.get $x))
      (local.set $j (i32.const 0))
      (local.set $nan (v128.const i64x2 0 0))
      (block $found
      (local.set $b0 (v128.xor (v128.load64_splat (local.get $p)) (local.get $signs)))
      (local.set $b1 (local.get $b0)) (local.set $b2 (local.get $b0)) (local.set $b3 (local.get $b0))
      (local.set $i0 (v128.const i64x2 0 0)) (local.set $i1 (local.get $i0)) (local.set $i2 (local.get $i0)) (local.set $i3 (local.get $i0))
      (local.set $position (v128.const i64x2 0 1))
      (block $lanesDone (loop $steps
        (br_if $lanesDone (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $rowEnd)))
        (local.set $v0 (v128.xor (v128.load offset=0 (local.get $p)) (local.get $signs)))
        (local.set $v1 (v128.xor (v128.load offset=16 (local.get $p)) (local.get $signs)))
        (local.set $v2 (v128.xor (v128.load offset=32 (local.get $p)) (local.get $signs)))
        (local.set $v3 (v128.xor (v128.load offset=48 (local.get $p)) (local.get $signs)))
        (local.set $nan (v128.or (local.get $nan) (v128.or
          (v128.or (f64x2.ne (local.get $v0) (local.get $v0)) (f64x2.ne (local.get $v1) (local.get $v1)))
          (v128.or (f64x2.ne (local.get $v2) (local.get $v2)) (f64x2.ne (local.get $v3) (local.get $v3))))))
        (local.set $smaller (f64x2.lt (local.get $v0) (local.get $b0)))
        (local.set $b0 (v128.bitselect (local.get $v0) (local.get $b0) (local.get $smaller)))
        (local.set $i0 (v128.bitselect (local.get $position) (local.get $i0) (local.get $smaller)))
        (local.set $smaller (f64x2.lt (local.get $v1) (local.get $b1)))
        (local.set $b1 (v128.bitselect (local.get $v1) (local.get $b1) (local.get $smaller)))
        (local.set $i1 (v128.bitselect (i64x2.add (local.get $position) (v128.const i64x2 2 2)) (local.get $i1) (local.get $smaller)))
        (local.set $smaller (f64x2.lt (local.get $v2) (local.get $b2)))
        (local.set $b2 (v128.bitselect (local.get $v2) (local.get $b2) (local.get $smaller)))
        (local.set $i2 (v128.bitselect (i64x2.add (local.get $position) (v128.const i64x2 4 4)) (local.get $i2) (local.get $smaller)))
        (local.set $smaller (f64x2.lt (local.get $v3) (local.get $b3)))
        (local.set $b3 (v128.bitselect (local.get $v3) (local.get $b3) (local.get $smaller)))
        (local.set $i3 (v128.bitselect (i64x2.add (local.get $position) (v128.const i64x2 6 6)) (local.get $i3) (local.get $smaller)))
        (local.set $position (i64x2.add (local.get $position) (v128.const i64x2 8 8)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $steps)))
      ;; a NaN among them: the first one wins
      (if (v128.any_true (local.get $nan)) (then (local.set $at (call $firstNaN_f64 (local.get $x))) (br $found)))
      ;; the four vectors into one, then its two lanes
      (call $merge_f64 (local.get $b1) (local.get $i1) (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      (call $merge_f64 (local.get $b3) (local.get $i3) (local.get $b2) (local.get $i2)) (local.set $i2) (local.set $b2)
      (call $merge_f64 (local.get $b2) (local.get $i2) (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      ;; lane 1 onto lane 0
      (call $merge_f64
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b0) (local.get $b0))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $i0) (local.get $i0))
        (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      (local.set $top (f64x2.extract_lane 0 (local.get $b0)))
      (local.set $at (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $i0))))
      ;; the rest one by one, in order (a NaN first met here wins at once)
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (local.set $other (f64.reinterpret_i64 (i64.xor (i64.load (local.get $p)) (local.get $sign))))
        (if (f64.ne (local.get $other) (local.get $other)) (then (local.set $at (local.get $j)) (br $found)))
        (if (f64.lt (local.get $other) (local.get $top)) (then (local.set $top (local.get $other)) (local.set $at (local.get $j))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail))))
      (i32.store (local.get $out) (local.get $at))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $x (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  ;; the index of the first NaN from x on (there is one)
  (func $firstNaN_f64 (param $x i32) (result i32)
    (local $j i32)
    (block $done (loop $scan
      (br_if $done (f64.ne (f64.load (local.get $x)) (f64.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $scan)))
    (local.get $j))

  ;; each lane of (best, index) takes (v, at) where v is smaller, or equal at an earlier index
  (func $merge_f64 (param $v v128) (param $at v128) (param $best v128) (param $index v128) (result v128 v128)
    (local $take v128)
    (local.set $take (v128.or (f64x2.lt (local.get $v) (local.get $best))
      (v128.and (f64x2.eq (local.get $v) (local.get $best)) (i64x2.lt_s (local.get $at) (local.get $index)))))
    (v128.bitselect (local.get $v) (local.get $best) (local.get $take))
    (v128.bitselect (local.get $at) (local.get $index) (local.get $take)))

  ;; float32: 4 vectors of 4 lanes, 16 values a step
  (func $argbest_f32 (param $x i32) (param $rows i32) (param $size i32) (param $out i32) (param $sign i32)
    (local $rowEnd i32) (local $p i32) (local $j i32) (local $signs v128) (local $position v128) (local $nan v128) (local $smaller v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $i0 v128) (local $i1 v128) (local $i2 v128) (local $i3 v128)
    (local $top f32) (local $other f32) (local $at i32)
    (local.set $signs (i32x4.splat (local.get $sign)))
    (block $allDone (loop $row
      (br_if $allDone (i32.eqz (local.get $rows)))
      (local.set $rowEnd (i32.add (local.get $x) (i32.mul (local.get $size) (i32.const 4))))
      (local.set $p (local.get $x))
      (local.set $j (i32.const 0))
      (local.set $nan (v128.const i64x2 0 0))
      (block $found
      (local.set $b0 (v128.xor (v128.load32_splat (local.get $p)) (local.get $signs)))
      (local.set $b1 (local.get $b0)) (local.set $b2 (local.get $b0)) (local.set $b3 (local.get $b0))
      (local.set $i0 (v128.const i32x4 0 0 0 0)) (local.set $i1 (local.get $i0)) (local.set $i2 (local.get $i0)) (local.set $i3 (local.get $i0))
      (local.set $position (v128.const i32x4 0 1 2 3))
      (block $lanesDone (loop $steps
        (br_if $lanesDone (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $rowEnd)))
        (local.set $v0 (v128.xor (v128.load offset=0 (local.get $p)) (local.get $signs)))
        (local.set $v1 (v128.xor (v128.load offset=16 (local.get $p)) (local.get $signs)))
        (local.set $v2 (v128.xor (v128.load offset=32 (local.get $p)) (local.get $signs)))
        (local.set $v3 (v128.xor (v128.load offset=48 (local.get $p)) (local.get $signs)))
        (local.set $nan (v128.or (local.get $nan) (v128.or
          (v128.or (f32x4.ne (local.get $v0) (local.get $v0)) (f32x4.ne (local.get $v1) (local.get $v1)))
          (v128.or (f32x4.ne (local.get $v2) (local.get $v2)) (f32x4.ne (local.get $v3) (local.get $v3))))))
        (local.set $smaller (f32x4.lt (local.get $v0) (local.get $b0)))
        (local.set $b0 (v128.bitselect (local.get $v0) (local.get $b0) (local.get $smaller)))
        (local.set $i0 (v128.bitselect (local.get $position) (local.get $i0) (local.get $smaller)))
        (local.set $smaller (f32x4.lt (local.get $v1) (local.get $b1)))
        (local.set $b1 (v128.bitselect (local.get $v1) (local.get $b1) (local.get $smaller)))
        (local.set $i1 (v128.bitselect (i32x4.add (local.get $position) (v128.const i32x4 4 4 4 4)) (local.get $i1) (local.get $smaller)))
        (local.set $smaller (f32x4.lt (local.get $v2) (local.get $b2)))
        (local.set $b2 (v128.bitselect (local.get $v2) (local.get $b2) (local.get $smaller)))
        (local.set $i2 (v128.bitselect (i32x4.add (local.get $position) (v128.const i32x4 8 8 8 8)) (local.get $i2) (local.get $smaller)))
        (local.set $smaller (f32x4.lt (local.get $v3) (local.get $b3)))
        (local.set $b3 (v128.bitselect (local.get $v3) (local.get $b3) (local.get $smaller)))
        (local.set $i3 (v128.bitselect (i32x4.add (local.get $position) (v128.const i32x4 12 12 12 12)) (local.get $i3) (local.get $smaller)))
        (local.set $position (i32x4.add (local.get $position) (v128.const i32x4 16 16 16 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $steps)))
      ;; a NaN among them: the first one wins
      (if (v128.any_true (local.get $nan)) (then (local.set $at (call $firstNaN_f32 (local.get $x))) (br $found)))
      ;; the four vectors into one, then its four lanes
      (call $merge_f32 (local.get $b1) (local.get $i1) (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      (call $merge_f32 (local.get $b3) (local.get $i3) (local.get $b2) (local.get $i2)) (local.set $i2) (local.set $b2)
      (call $merge_f32 (local.get $b2) (local.get $i2) (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      ;; lanes 2 and 3 onto lanes 0 and 1, then lane 1 onto lane 0
      (call $merge_f32
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b0) (local.get $b0))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $i0) (local.get $i0))
        (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      (call $merge_f32
        (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15 (local.get $b0) (local.get $b0))
        (i8x16.shuffle 4 5 6 7 0 1 2 3 8 9 10 11 12 13 14 15 (local.get $i0) (local.get $i0))
        (local.get $b0) (local.get $i0)) (local.set $i0) (local.set $b0)
      (local.set $top (f32x4.extract_lane 0 (local.get $b0)))
      (local.set $at (i32x4.extract_lane 0 (local.get $i0)))
      ;; the rest one by one, in order (a NaN first met here wins at once)
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $rowEnd)))
        (local.set $other (f32.reinterpret_i32 (i32.xor (i32.load (local.get $p)) (local.get $sign))))
        (if (f32.ne (local.get $other) (local.get $other)) (then (local.set $at (local.get $j)) (br $found)))
        (if (f32.lt (local.get $other) (local.get $top)) (then (local.set $top (local.get $other)) (local.set $at (local.get $j))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail))))
      (i32.store (local.get $out) (local.get $at))
      (local.set $out (i32.add (local.get $out) (i32.const 4)))
      (local.set $x (local.get $rowEnd))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))

  (func $firstNaN_f32 (param $x i32) (result i32)
    (local $j i32)
    (block $done (loop $scan
      (br_if $done (f32.ne (f32.load (local.get $x)) (f32.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $scan)))
    (local.get $j))

  (func $merge_f32 (param $v v128) (param $at v128) (param $best v128) (param $index v128) (result v128 v128)
    (local $take v128)
    (local.set $take (v128.or (f32x4.lt (local.get $v) (local.get $best))
      (v128.and (f32x4.eq (local.get $v) (local.get $best)) (i32x4.lt_s (local.get $at) (local.get $index)))))
    (v128.bitselect (local.get $v) (local.get $best) (local.get $take))
    (v128.bitselect (local.get $at) (local.get $index) (local.get $take)))
)
