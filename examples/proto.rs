use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let text = std::fs::read_to_string(&path).unwrap();
    println!("read {:?}", t.elapsed());
    let t = Instant::now();
    let top: BTreeMap<String, Vec<&RawValue>> = {
        let v: BTreeMap<String, &RawValue> = serde_json::from_str(&text).unwrap();
        v.into_iter()
            .filter_map(|(k, r)| {
                serde_json::from_str::<Vec<&RawValue>>(r.get())
                    .ok()
                    .map(|l| (k, l))
            })
            .collect()
    };
    println!("raw pass (x2) {:?}", t.elapsed());
    let items: Vec<&str> = top.values().flatten().map(|r| r.get()).collect();
    let t = Instant::now();
    let mut n = 0usize;
    for it in &items {
        let v: serde_json::Value = serde_json::from_str(it).unwrap();
        n += v.as_object().map_or(0, |m| m.len());
    }
    println!("item parse seq {:?} {n}", t.elapsed());
    let t = Instant::now();
    let half = items.len() / 2;
    let (a, b) = items.split_at(half);
    std::thread::scope(|s| {
        let h = s.spawn(|| {
            let mut n = 0;
            for it in a {
                let v: serde_json::Value = serde_json::from_str(it).unwrap();
                n += v.as_object().map_or(0, |m| m.len());
            }
            n
        });
        let mut n = 0;
        for it in b {
            let v: serde_json::Value = serde_json::from_str(it).unwrap();
            n += v.as_object().map_or(0, |m| m.len());
        }
        n + h.join().unwrap()
    });
    println!("item parse 2 threads {:?}", t.elapsed());
    let t = Instant::now();
    let _v: serde_json::Value = serde_json::from_str(&text).unwrap();
    println!("full value parse {:?}", t.elapsed());
}
