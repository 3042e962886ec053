//! `[courses.NAME]`: where graduates go, class sizes and timing, washout,
//! queue, obligation and instructors; chains of courses that end in a level.

use super::check::{list, p, Checker, Names};
use super::levels::cycles;
use crate::config::raw::{RawCourse, RawInstructors};
use crate::config::suggest::did_you_mean;
use crate::params::Param;
use crate::scenario::{Course, Destination, Instructors, Obligation};
use indexmap::IndexMap;

pub(super) fn check_courses(
    c: &mut Checker,
    raw: &IndexMap<String, RawCourse>,
    names: &Names,
) -> Vec<Course> {
    let courses: Vec<Course> = raw
        .iter()
        .map(|(name, co)| check_course(c, name, co, names))
        .collect();
    let next: Vec<Option<usize>> = courses
        .iter()
        .map(|co| match co.graduates_to {
            Destination::Course(k) => Some(k),
            Destination::Level(_) => None,
        })
        .collect();
    for start in cycles(&next) {
        c.err(
            p(&["courses", &courses[start].name, "graduates_to"]),
            "course cycle: following `graduates_to` from this course comes back to it",
        );
    }
    courses
}

fn check_course(c: &mut Checker, name: &str, co: &RawCourse, names: &Names) -> Course {
    let at = |f: &str| p(&["courses", name, f]);
    let graduates_to = destination(c, at("graduates_to"), name, &co.graduates_to, names);
    let length_months = c.months(at("length_months"), co.length_months, 1);
    let seats_per_class = c.num(
        at("seats_per_class"),
        co.seats_per_class,
        Param::Seats(0).range(),
        "seats per class",
    );
    let class_starts = check_class_starts(c, name, &co.class_starts);
    let washout = c.num(
        at("washout"),
        co.washout,
        Param::Washout(0).range(),
        "washout (fraction)",
    );
    let queue_attrition = c.num(
        at("queue_attrition"),
        co.queue_attrition,
        Param::QueueAttrition(0).range(),
        "queue attrition (annual rate)",
    );
    let initial_queue = c.num(
        at("initial_queue"),
        co.initial_queue,
        Param::InitialQueue(0).range(),
        "initial queue",
    );
    let obligation = Obligation {
        months: c.months(at("obligation_months"), co.obligation_months, 0),
        attrition_factor: c.num(
            at("obligated_attrition_factor"),
            co.obligated_attrition_factor.unwrap_or(1.0),
            Param::ObligationFactor(0).range(),
            "obligated attrition factor",
        ),
        end_exit: c.num(
            at("obligation_end_exit"),
            co.obligation_end_exit,
            Param::ObligationExit(0).range(),
            "obligation-end exit (fraction)",
        ),
    };
    let instructors = co
        .instructors
        .as_ref()
        .map(|i| check_instructors(c, name, i, names));
    Course {
        name: name.to_string(),
        graduates_to,
        length_months,
        seats_per_class,
        class_starts,
        washout,
        queue_attrition,
        initial_queue,
        obligation,
        instructors,
    }
}

/// A level, or another course's queue. An unknown name stands in as a level,
/// which ends any chain, so it is reported once and never as a cycle.
fn destination(
    c: &mut Checker,
    path: Vec<String>,
    course: &str,
    to: &str,
    names: &Names,
) -> Destination {
    if let Some(l) = names.levels.iter().position(|n| *n == to) {
        Destination::Level(l)
    } else if let Some(k) = names.courses.iter().position(|n| *n == to) {
        if to == course {
            c.err(path, "a course cannot graduate into its own queue");
        }
        Destination::Course(k)
    } else {
        let all = names.levels.iter().chain(&names.courses).copied();
        c.err(
            path,
            format!(
                "no level or course '{to}'{}; levels: {}; courses: {}",
                did_you_mean(to, all),
                list(&names.levels),
                list(&names.courses)
            ),
        );
        Destination::Level(0)
    }
}

fn check_class_starts(c: &mut Checker, course: &str, months: &[u32]) -> [bool; 12] {
    let mut class_starts = [false; 12];
    if months.is_empty() {
        c.err(
            p(&["courses", course, "class_starts"]),
            "at least one class start month (1..12) is needed",
        );
    }
    for (i, &m) in months.iter().enumerate() {
        let path = p(&["courses", course, "class_starts", &i.to_string()]);
        if !(1..=12).contains(&m) {
            c.err(
                path,
                format!("{m} is not a month of the year: must be in 1..12"),
            );
        } else if class_starts[m as usize - 1] {
            c.err(path, format!("month {m} is listed twice"));
        } else {
            class_starts[m as usize - 1] = true;
        }
    }
    class_starts
}

fn check_instructors(
    c: &mut Checker,
    course: &str,
    i: &RawInstructors,
    names: &Names,
) -> Instructors {
    let ip = |f: &str| p(&["courses", course, "instructors", f]);
    Instructors {
        level: names.level(c, ip("level"), &i.level).unwrap_or(0),
        students_per_instructor: c.num(
            ip("students_per_instructor"),
            i.students_per_instructor,
            Param::StudentsPerInstructor(0).range(),
            "students per instructor",
        ),
        max_share: c.num(
            ip("max_share"),
            i.max_share,
            Param::InstructorShare(0).range(),
            "instructor share (fraction of the level)",
        ),
    }
}
