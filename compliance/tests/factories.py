"""factory_boy factories for tests (Faker zh_CN)."""

from __future__ import annotations

import datetime as dt
import hashlib

import factory
from factory.django import DjangoModelFactory

from compliance.models import (
    Assignment,
    Department,
    Evidence,
    Membership,
    PolicyDocument,
    Requirement,
    User,
)

factory.Faker._DEFAULT_LOCALE = "zh_CN"

PASSWORD = "test-pass-123"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.edu.cn")
    role = User.Role.STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试部门{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:4])
    kind = Department.Kind.FUNCTIONAL


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Membership.Role.LEAD


class PolicyDocumentFactory(DjangoModelFactory):
    class Meta:
        model = PolicyDocument

    title = factory.Sequence(lambda n: f"关于推进第{n}项重点工作的通知")
    issuer = "教育部"
    doc_number = factory.Sequence(lambda n: f"教测〔2026〕{n}号")
    issue_date = dt.date(2026, 3, 1)
    sha256 = factory.Sequence(lambda n: hashlib.sha256(f"doc{n}".encode()).hexdigest())
    status = PolicyDocument.Status.PUBLISHED


class RequirementFactory(DjangoModelFactory):
    class Meta:
        model = Requirement

    document = factory.SubFactory(PolicyDocumentFactory)
    label = factory.Sequence(lambda n: f"（{n}）")
    path = factory.LazyAttribute(lambda o: ["一", o.label])
    order = factory.Sequence(lambda n: n)
    level = 2
    heading = factory.Faker("sentence", nb_words=4)
    text = factory.Faker("paragraph")
    is_requirement = True
    deadline_date = dt.date(2026, 6, 30)
    deadline_text = "6月30日前"


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    requirement = factory.SubFactory(RequirementFactory)
    department = factory.SubFactory(DepartmentFactory)
    role = Assignment.Role.LEAD
    due_date = factory.LazyAttribute(lambda o: o.requirement.deadline_date)


class EvidenceFactory(DjangoModelFactory):
    class Meta:
        model = Evidence

    assignment = factory.SubFactory(AssignmentFactory)
    original_name = "佐证材料.pdf"
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.4 test")
    size = 13
    sha256 = hashlib.sha256(b"%PDF-1.4 test").hexdigest()
