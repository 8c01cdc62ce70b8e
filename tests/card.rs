//! The settings IT puts on the SD card's boot partition, taken by the real binary as the boot
//! unit runs it: the config without the PIN, the PIN only as a hash, the plain copy erased.

use intervisie_kiosk::config::Config;
use intervisie_kiosk::store::{Paths, pin};
use std::path::Path;
use std::process::{Command, Output};

const CARD: &str = "# Zaal 3, tweede verdieping\nroom_name = \"Zaal 3\"\npin = \"0427\"\nlanguage = \"en\"\n\n[buttons]\nnext_pin = 5\npause_pin = 6\n";

fn import(card: &Path, to: &Path, data: &Path, config: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_intervisie-kiosk"))
        .arg("--config")
        .arg(config)
        .arg("--data-dir")
        .arg(data)
        .arg("import-config")
        .arg(card)
        .arg("--to")
        .arg(to)
        .output()
        .expect("runs")
}

struct Card {
    _tmp: tempfile::TempDir,
    boot: std::path::PathBuf,
    etc: std::path::PathBuf,
    data: std::path::PathBuf,
}

impl Card {
    fn new(text: &str) -> Card {
        let tmp = tempfile::tempdir().unwrap();
        let boot = tmp.path().join("boot");
        let etc = tmp.path().join("etc");
        std::fs::create_dir_all(&boot).unwrap();
        std::fs::create_dir_all(&etc).unwrap();
        std::fs::write(boot.join("intervisie-kiosk.toml"), text).unwrap();
        // The config the package put there, broken by hand: the card's settings must mend it.
        std::fs::write(etc.join("config.toml"), "room_name = \n").unwrap();
        Card {
            boot,
            etc,
            data: tmp.path().join("data"),
            _tmp: tmp,
        }
    }
    fn file(&self) -> std::path::PathBuf {
        self.boot.join("intervisie-kiosk.toml")
    }
    fn config(&self) -> std::path::PathBuf {
        self.etc.join("config.toml")
    }
    fn run(&self) -> Output {
        import(&self.file(), &self.config(), &self.data, &self.config())
    }
}

#[test]
fn the_card_becomes_the_config_and_a_hashed_pin_and_its_plain_copy_is_erased() {
    let card = Card::new(CARD);
    // A second name for the same bytes: after the import it shows what is left where they lay.
    let witness = card.boot.join("witness");
    std::fs::hard_link(card.file(), &witness).unwrap();

    let out = card.run();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{said} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("room \"Zaal 3\""), "{said}");

    let kept = std::fs::read_to_string(card.config()).unwrap();
    assert!(!kept.contains("0427"), "{kept}");
    assert!(
        kept.starts_with("# Zaal 3, tweede verdieping\n"),
        "IT's comments stay: {kept}"
    );
    let config = Config::load(Some(&card.config())).unwrap();
    assert_eq!(config.room_name, "Zaal 3");
    assert_eq!((config.buttons.next_pin, config.buttons.pause_pin), (5, 6));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(card.config())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644, "the kiosk's user reads the config");

    let pin_file = Paths::new(&card.data).pin;
    assert!(pin::verify(&pin_file, "0427").unwrap());
    assert!(!std::fs::read_to_string(&pin_file).unwrap().contains("0427"));

    assert!(!card.file().exists(), "the plain copy is removed");
    let left = std::fs::read(&witness).unwrap();
    assert_eq!(left.len(), CARD.len());
    assert!(
        left.iter().all(|&b| b == 0),
        "overwritten where it lay before removal"
    );
    assert!(!card.boot.join("intervisie-kiosk-error.txt").exists());
}

#[test]
fn a_card_with_errors_changes_nothing_and_says_why_beside_the_file() {
    let card = Card::new("room_name = \"Zaal 3\"\npin = \"12\"\n");
    let before = std::fs::read_to_string(card.config()).unwrap();
    let out = card.run();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("intervisie-kiosk.toml:2: pin: a PIN is 4 to 8 digits"),
        "{err}"
    );

    assert_eq!(std::fs::read_to_string(card.config()).unwrap(), before);
    assert!(!Paths::new(&card.data).pin.exists());
    assert!(card.file().exists(), "the file stays until it is right");
    let why = std::fs::read_to_string(card.boot.join("intervisie-kiosk-error.txt")).unwrap();
    assert!(why.contains(":2: pin: a PIN is 4 to 8 digits"), "{why}");

    // Put right, it is taken, and the note of what was wrong goes with it.
    std::fs::write(card.file(), "room_name = \"Zaal 3\"\npin = \"1234\"\n").unwrap();
    let out = card.run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!card.boot.join("intervisie-kiosk-error.txt").exists());
    assert!(pin::verify(&Paths::new(&card.data).pin, "1234").unwrap());
}

#[test]
fn an_option_the_kiosk_does_not_know_is_named_with_its_line() {
    let card = Card::new("room_name = \"Zaal 3\"\npin = \"1234\"\nroom_colour = \"blue\"\n");
    let out = card.run();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("intervisie-kiosk.toml:3"), "{err}");
    assert!(err.contains("room_colour"), "{err}");
    assert!(card.file().exists());
}

#[test]
fn the_example_on_the_card_is_taken_as_it_is_and_with_its_pin_filled_in() {
    let example = include_str!("../deploy/image/intervisie-kiosk-example.toml");
    let card = Card::new(example);
    let out = card.run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !Paths::new(&card.data).pin.exists(),
        "no PIN unless IT writes one"
    );

    let card = Card::new(&example.replace("#pin = \"2468\"", "pin = \"2468\""));
    let out = card.run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(pin::verify(&Paths::new(&card.data).pin, "2468").unwrap());
}
