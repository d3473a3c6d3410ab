// The sample article: original text written for Onoma (fictional events), with people,
// organisations, places, dates, money, percentages, a law and an event.
export const SAMPLE_ARTICLE = `Kingsport approves $2.4 billion tidal barrier after stormy debate

Kingsport, March 14, 2024 — The city council of Kingsport voted 9 to 4 on Thursday to build a $2.4 billion tidal barrier across the mouth of the Alder River, ending three years of argument over how to protect the waterfront from rising seas.

Mayor Helen Okafor called the vote "the most important decision this council will make in a generation." The barrier, designed by the Dutch engineering firm Van Rijn Group and financed in part by the European Investment Bank, is due to open in 2031.

Opponents led by councillor David Mendez said the cost had grown by 38 percent since the first estimate in 2021 and warned that property taxes would rise. "We are being asked to sign a blank cheque," Mendez told reporters outside City Hall after the meeting, which ran past 11 p.m.

The project is the first to be funded under the Coastal Resilience Act, which Parliament passed last year after Hurricane Imogen flooded more than 4,000 homes along the Atlantic coast in October 2022. Under the law, national government will cover 60 percent of construction costs, leaving Kingsport to raise about $960 million through bonds.

Engineers from Van Rijn Group will begin surveying the seabed in June. The company, based in Rotterdam, built similar barriers in Hamburg and Venice and employs about 1,200 people. Its chief executive, Jan Bakker, said the Kingsport design would lift 42 steel gates, each weighing 300 tonnes, when tides rise more than two metres above normal.

Okafor said construction would create roughly 850 jobs and that the Harbour Festival, which draws tens of thousands of visitors to the waterfront each August, would go ahead as usual while work is under way.

The Kingsport Chamber of Commerce welcomed the decision, while the Green Party said it would seek a judicial review. A public consultation on the final route of the barrier opens on Monday and closes on May 31.`;
