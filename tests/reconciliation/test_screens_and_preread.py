"""The screens people read: supply per family, reconciliation, scenarios, the sign-off pre-read,
the XLSX pack and the released plan for downstream systems."""

from datetime import date
from io import BytesIO

from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.roles import Role
from cycles.stages import Stage
from reconciliation import services
from tests.factories import mark_released
from tests.fixtures.reconciliation import download
from tests.supply.plan_data import family_capacity, open_cycle, put, put_consensus


def test_the_family_screen_shows_the_chart_data_and_the_flags(
    rec_cycle, company, client, users_by_role
):
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    family = company.families[0]
    page = client.get(f"/supply/{rec_cycle.pk}/family/{family.pk}/").content.decode()
    assert 'id="supply-data"' in page and "vendor/chartjs/chart.umd.min.js" in page
    assert "shortage of 10 units" in page and "demand exceeds capacity" in page
    assert "Supply inputs are entered by the Supply Planner during Supply planning" in page


def test_the_supply_planner_saves_the_grid_and_submits_from_the_supply_page(
    company, client, users_by_role
):
    cycle = open_cycle(users_by_role[Role.SALES_OPS_MANAGER], Stage.SUPPLY_PLANNING)
    put_consensus(cycle, company.products[0], company.territories[0], [10] * 12)
    client.force_login(users_by_role[Role.SUPPLY_PLANNER])
    family = company.families[0]
    page = client.post(
        f"/supply/{cycle.pk}/family/{family.pk}/inputs/",
        {"capacity__2026-11": "25", "v__capacity__2026-11": "0"},
        follow=True,
    ).content.decode()
    assert "1 figure(s) saved." in page
    index = client.get(f"/supply/{cycle.pk}/").content.decode()
    assert 'id="submit-supply"' in index
    client.post(f"/cycles/{cycle.pk}/submit/", {"plan": "supply"})
    assert "Submitted by" in client.get(f"/supply/{cycle.pk}/").content.decode()


def test_reconciliation_shows_gaps_with_decision_forms_for_finance(rec_cycle, client, finance):
    client.force_login(finance)
    page = client.get(f"/reconciliation/{rec_cycle.pk}/").content.decode()
    assert "Shortage of 10 units (10.0% of demand)" in page
    assert "Record decision" in page and "Back to demand planning" not in page


def test_the_owner_sends_the_cycle_back_in_one_click(rec_cycle, client, manager):
    client.force_login(manager)
    page = client.get(f"/reconciliation/{rec_cycle.pk}/").content.decode()
    assert "Back to supply planning" in page
    client.post(
        f"/cycles/{rec_cycle.pk}/send-back/",
        {"stage": "reconciliation", "to": "supply_planning", "reason": "Capacity too low"},
    )
    rec_cycle.refresh_from_db()
    assert rec_cycle.stage_enum is Stage.SUPPLY_PLANNING


def test_the_scenario_page_compares_the_chosen_scenarios(rec_cycle, company, client, manager):
    a = services.scenario_create(actor=manager, cycle_id=rec_cycle.pk, name="Alpha")
    services.scenario_create(actor=manager, cycle_id=rec_cycle.pk, name="Beta")
    client.force_login(manager)
    page = client.get(f"/reconciliation/{rec_cycle.pk}/scenarios/?compare={a.pk}").content.decode()
    assert 'id="comparison"' in page and '<th class="num">Alpha</th>' in page
    assert '<th class="num">Beta</th>' not in page


def test_the_signoff_page_is_the_pre_read(rec_cycle, company, client, finance, users_by_role):
    key = f"shortage:{company.families[0].pk}:2027-01"
    services.gap_decide(
        actor=finance,
        cycle_id=rec_cycle.pk,
        gap_key=key,
        decision="escalate",
        owner_id=finance.pk,
        rationale="Needs a second shift",
        expected_impact="+10 units",
    )
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert 'id="kpis"' in page and "Revenue" in page and 'id="preread-chart"' in page
    assert "Escalated: needs an executive decision" in page and "Needs a second shift" in page
    assert "No earlier released plan to compare with." in page


def test_the_pre_read_compares_with_last_months_released_plan(company, manager, client):
    last = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    put_consensus(last, company.products[1], company.territories[1], [40] * 12)
    mark_released(last)
    cycle = open_cycle(manager, Stage.SIGN_OFF)
    put_consensus(cycle, company.products[1], company.territories[1], [50] * 12)
    client.force_login(manager)
    page = client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    assert "S&amp;OP 2026-10" in page and 'id="changes"' in page
    changes = page.split('id="changes"')[1]
    # Nov 2026-Sep 2027, the months both plans cover: 11 x 10 more units
    assert '<td class="num">550</td><td class="num">110</td>' in changes


def test_the_pack_downloads_as_xlsx_with_the_plan(rec_cycle, client, manager, build_pack):
    build_pack(rec_cycle, manager)
    client.force_login(manager)
    content = download(client, f"/reconciliation/{rec_cycle.pk}/pack.xlsx")
    book = load_workbook(BytesIO(content), read_only=True)
    assert book.sheetnames == [
        "Headline", "By month", "Gaps and decisions", "Quota vs plan", "Pipeline coverage",
        "Sign-off", "Plan",
    ]  # fmt: skip
    headline = list(book["Headline"].values)
    assert headline[0][0] == "KPI" and headline[2][0] == "Revenue"
    assert all(round(c, 2) == c for row in headline[1:] for c in row if isinstance(c, float))
    months = list(book["By month"].values)
    assert "Budget (units)" in months[0] and not [h for h in months[0] if "_" in str(h)]
    plan = list(book["Plan"].values)
    assert len(plan) > 36 and {row[0] for row in plan[1:]} >= {"Agreed demand"}


def test_the_released_plan_is_served_to_downstream_systems(rec_cycle, company, manager):
    client = APIClient()
    client.force_authenticate(manager)
    path = f"/api/plan/cycles/{rec_cycle.pk}/released-plan/?measure=consensus"
    refused = client.get(path)
    assert refused.status_code == 400 and "not released yet" in refused.json()["detail"]
    mark_released(rec_cycle)
    answer = client.get(path).json()
    rows = answer["results"]
    assert len(rows) == 36 and {r["measure"] for r in rows} == {"consensus"}
    assert answer["next"] is None
    assert {"measure", "sku", "territory", "month", "value"} == set(rows[0])
    assert rows[0]["month"] == "2026-11"


def test_the_released_plan_comes_in_pages_that_add_up(rec_cycle, manager):
    client = APIClient()
    client.force_authenticate(manager)
    mark_released(rec_cycle)
    path = f"/api/plan/cycles/{rec_cycle.pk}/released-plan/"
    whole = client.get(path, {"limit": 1000}).json()
    assert whole["next"] is None
    paged, url = [], f"{path}?measure=consensus&limit=7"
    while url:
        page = client.get(url).json()
        assert len(page["results"]) == 7 or page["next"] is None
        paged += page["results"]
        url = page["next"]
    assert len(paged) == 36 and len({tuple(row.values()) for row in paged}) == 36
    assert paged == [row for row in whole["results"] if row["measure"] == "consensus"]


def test_the_reconciliation_api_returns_totals_and_gaps(rec_cycle, manager):
    client = APIClient()
    client.force_authenticate(manager)
    data = client.get(f"/api/plan/cycles/{rec_cycle.pk}/reconciliation/").json()
    assert data["total"]["demand"] == 1800 and len(data["gaps"]) == 1
    assert data["gaps"][0]["decision"] is None


def test_finance_enters_the_budget_on_its_page(rec_cycle, company, client, finance):
    client.force_login(finance)
    family, territory = company.families[0], company.territories[2]
    page = client.post(
        f"/reconciliation/{rec_cycle.pk}/budget/{family.pk}/",
        {f"budget_revenue__{territory.pk}__2027-01": "900"},
        follow=True,
    ).content.decode()
    assert "1 budget figure(s) saved." in page
    put(rec_cycle, "budget_units", company.products[0], territory, date(2027, 1, 1), 1)
    assert (
        'value="900"'
        in client.get(f"/reconciliation/{rec_cycle.pk}/budget/{family.pk}/").content.decode()
    )


def test_the_pack_downloads_as_pdf(rec_cycle, company, client, finance, build_pack):
    services.gap_decide(
        actor=finance,
        cycle_id=rec_cycle.pk,
        gap_key=f"shortage:{company.families[0].pk}:2027-01",
        decision="escalate",
        owner_id=finance.pk,
        rationale="Second shift \u2013 costs (not Latin-1: \u20ac)",
        expected_impact="x",
    )
    build_pack(rec_cycle, finance)
    client.force_login(finance)
    response = client.get(f"/reconciliation/{rec_cycle.pk}/pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF") and len(content) > 1500


def test_a_cycle_without_plan_figures_says_so_instead_of_minus_100_percent(
    company, manager, client, build_pack
):
    last = open_cycle(manager, Stage.RECONCILIATION, month=date(2026, 10, 1))
    put_consensus(last, company.products[1], company.territories[1], [40] * 12)
    mark_released(last)
    cycle = open_cycle(manager, Stage.DATA_GATHERING)
    client.force_login(manager)
    page = client.get(f"/cycles/{cycle.pk}/sign-off/").content.decode()
    assert "No plan yet for this cycle" in page
    assert 'id="kpis"' not in page and 'id="preread-chart"' not in page
    assert "-480" not in page  # the last release's 480 units are not a change
    assert "What changed since S&amp;OP 2026-10" in page
    assert "nothing to compare with S&amp;OP 2026-10" in page
    assert "No earlier released plan" not in page
    build_pack(cycle, manager)
    book = load_workbook(BytesIO(download(client, f"/reconciliation/{cycle.pk}/pack.xlsx")))
    assert list(book["Headline"].values)[1][0] == "No plan yet for this cycle."


def test_plan_tables_print_thousands_separators(rec_cycle, company, client, finance):
    client.force_login(finance)
    reconciliation = client.get(f"/reconciliation/{rec_cycle.pk}/").content.decode()
    by_family = reconciliation.split('id="by-family"')[1].split("</table>")[0]
    assert '<td class="num">6,000</td>' in by_family  # 12 months x 500 of budget revenue
    supply = client.get(f"/supply/{rec_cycle.pk}/").content.decode()
    assert '<td class="num">1,200</td>' in supply  # family 0: (60 + 40) x 12 months
    signoff = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    assert ">1,800<" in signoff.split('id="plan-summary"')[1]  # consensus 150 x 12


def test_a_half_unit_shortage_reads_the_same_in_the_table_flag_and_gap(company, manager, client):
    cycle = open_cycle(manager, Stage.RECONCILIATION)
    family = company.families[0]
    put_consensus(cycle, company.products[0], company.territories[0], [1506.5] * 12)
    family_capacity(cycle, family, [100] * 12)
    client.force_login(manager)
    page = client.get(f"/supply/{cycle.pk}/family/{family.pk}/").content.decode()
    first = page.split('id="months"')[1].split("</tr>")[1]
    assert '<td class="num">1,407</td>' in first and "shortage of 1,407 units" in first
    gaps = client.get(f"/reconciliation/{cycle.pk}/").content.decode()
    assert "Shortage of 1,407 units" in gaps


def test_without_scenarios_there_is_nothing_to_compare(rec_cycle, client, manager):
    client.force_login(manager)
    page = client.get(f"/reconciliation/{rec_cycle.pk}/scenarios/").content.decode()
    assert "No scenarios yet" in page and 'id="compare"' not in page


def test_comparing_on_a_cycle_without_a_plan_explains_instead_of_zeros(company, client, manager):
    cycle = open_cycle(manager, Stage.RECONCILIATION)
    made = services.scenario_create(actor=manager, cycle_id=cycle.pk, name="Early")
    client.force_login(manager)
    page = client.get(f"/reconciliation/{cycle.pk}/scenarios/?compare={made.pk}").content.decode()
    assert 'id="compare"' in page and 'id="comparison"' not in page
    assert "no plan figures yet" in page


def test_each_scenarios_change_form_sits_in_its_own_row(rec_cycle, client, manager):
    for name in ("Alpha", "Beta"):
        services.scenario_create(actor=manager, cycle_id=rec_cycle.pk, name=name)
    client.force_login(manager)
    page = client.get(f"/reconciliation/{rec_cycle.pk}/scenarios/").content.decode()
    rows = page.split('id="scenarios"')[1].split("</table>")[0]
    beta = rows.split('<tr data-name="Beta">')[1].split("</tr>")[0]
    assert 'class="scenario-change" data-name="Beta"' in beta
    assert 'data-name="Alpha"' not in beta


def test_the_pre_read_shows_pipeline_coverage_per_territory_flagged_below_the_threshold(
    rec_cycle, company, client, users_by_role, crm_stages
):
    from reconciliation.templatetags.preread import signoff_preread
    from tests.fixtures.pipeline import crm_deal

    t0, t1, t2 = company.territories[:3]
    first = rec_cycle.horizon()[0]
    big_line = [(company.products[0], 1000, 1000)]  # far more than t0's consensus of 60 a month
    crm_deal(crm_stages["proposal"], territory=t0, close=first.replace(day=10), lines=big_line)
    rows = {row.territory: dict(row.months) for row in signoff_preread({}, rec_cycle)["coverage"]}
    assert not rows[t0.name][first].below  # covered by the deal
    assert rows[t1.name][first].below and rows[t1.name][first].ratio == 0  # consensus, no deal
    assert rows[t2.name][first].ratio is None  # no consensus: nothing to cover
    client.force_login(users_by_role[Role.EXECUTIVE])
    page = client.get(f"/cycles/{rec_cycle.pk}/sign-off/").content.decode()
    section = page[page.index('id="pipeline-coverage"') :]
    assert "below 80% is flagged" in section and "not covered" in section
    assert page.index('id="quota-vs-plan"') < page.index('id="pipeline-coverage"')
