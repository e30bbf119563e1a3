import Monitor
import Testing

/// The header's source marker (a replay's position, an attached node gone): drawn on the first line,
/// at 80 and 120 columns, with the theme name still there; gone when the backend has none.
@Suite struct SourceMarkerTests {
    @Test(arguments: [80, 120])
    func theMarkerIsOnTheHeaderLine(width: Int) {
        var controller = ControllerTests.controller()
        controller.show(marker: SourceMarker("DETACHED: node gone, retrying", isProblem: true))
        var header = controller.frame(width: width, height: 24, now: .seconds(5)).line(0)
        #expect(header.contains(" DETACHED: node gone, retrying "), "\(header)")
        #expect(header.contains(controller.view.themeName), "\(header)")
        #expect(header.hasPrefix(" hyperdht monitor "), "\(header)")

        controller.show(marker: SourceMarker("REPLAY 0:42.0/3:10.5 2x paused"))
        header = controller.frame(width: width, height: 24, now: .seconds(5)).line(0)
        #expect(header.contains(" REPLAY 0:42.0/3:10.5 2x paused "), "\(header)")

        controller.show(marker: nil)
        header = controller.frame(width: width, height: 24, now: .seconds(5)).line(0)
        #expect(!header.contains("REPLAY") && !header.contains("DETACHED"), "\(header)")
    }
}
